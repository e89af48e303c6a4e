namespace PickleGuard.Analysis.Taint;

/// <summary>What every <c>return</c> of a project helper gives when a guard compares its result (FunctionAnalyzer.Guards.cs).</summary>
internal enum ReturnedDigest : byte
{
    /// <summary>Anything else, or returns of different kinds: the helper's arguments count as checked, as before.</summary>
    Other,

    /// <summary>An HMAC it computes (<c>hmac.new(key, m, sha256).digest()</c>): its arguments are what the MAC covers.</summary>
    Mac,

    /// <summary>A hash without a key (<c>hashlib.sha256(m).hexdigest()</c>): anyone can compute it, so it covers nothing.</summary>
    KeylessHash,
}
