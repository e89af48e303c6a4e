namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The abstract state at one program point of a function: the taint of each local variable assigned so far, and the
/// source expressions a guard verified on every path here (<c>request.get_data()</c> inside an HMAC check: reading it
/// again yields verified data). A state after <c>return</c>/<c>raise</c> is unreachable and vanishes in joins (so an
/// early exit guarded by a failed HMAC check leaves only the verified path).
/// </summary>
internal sealed class TaintState
{
    private Dictionary<string, VarTaint> _vars;

    /// <summary>Another state may hold <see cref="_vars"/> too: copied on the first write (most branches assign little).</summary>
    private bool _shared;

    /// <summary>Verified source expressions (their text) with the reason; never changed in place, only replaced.</summary>
    private IReadOnlyDictionary<string, string>? _verifiedSources;

    public TaintState() => _vars = new(StringComparer.Ordinal);

    /// <summary>An empty state with room for <paramref name="capacity"/> variables (a function's locals: no regrowth).</summary>
    public TaintState(int capacity) => _vars = new(capacity, StringComparer.Ordinal);

    private TaintState(Dictionary<string, VarTaint> vars, bool reachable, IReadOnlyDictionary<string, string>? verifiedSources)
    {
        _vars = vars;
        Reachable = reachable;
        _shared = true;
        _verifiedSources = verifiedSources;
    }

    /// <summary>Whether some source expression is verified here (most states: none, so no text is built).</summary>
    public bool HasVerifiedSources => _verifiedSources is not null;

    /// <summary>Why the source expression with text <paramref name="text"/> is verified here, or null.</summary>
    public string? VerifiedSource(string text) => _verifiedSources?.GetValueOrDefault(text);

    public void VerifySource(string text, string reason)
    {
        if (VerifiedSource(text) is null)
        {
            _verifiedSources = new Dictionary<string, string>(_verifiedSources ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [text] = reason };
        }
    }

    public bool Reachable { get; private set; } = true;

    public IEnumerable<KeyValuePair<string, VarTaint>> Variables => _vars;

    public bool TryGet(string name, out VarTaint value) => _vars.TryGetValue(name, out value!);

    public void Set(string name, VarTaint value)
    {
        if (_shared)
        {
            _vars = new Dictionary<string, VarTaint>(_vars, StringComparer.Ordinal);
            _shared = false;
        }
        _vars[name] = value;
    }

    public void MarkUnreachable() => Reachable = false;

    /// <summary>A cheap fingerprint that grows whenever some variable gains an origin (loops stop when it is stable).</summary>
    public int Weight()
    {
        var weight = Reachable ? 1 : 0;
        foreach (var value in _vars.Values)
        {
            weight += value.Whole.Origins.Length + 1;
            if (value.Parts is not null)
            {
                foreach (var part in value.Parts.Values)
                {
                    weight += part.Origins.Length + 1;
                }
            }
        }
        return weight;
    }

    public TaintState Copy()
    {
        _shared = true;
        return new TaintState(_vars, Reachable, _verifiedSources);
    }

    public static TaintState Join(TaintState a, TaintState b)
    {
        if (!a.Reachable)
        {
            return b.Copy();
        }
        if (!b.Reachable)
        {
            return a.Copy();
        }
        var result = a.Copy();
        // Verified on both paths only.
        if (!ReferenceEquals(a._verifiedSources, b._verifiedSources))
        {
            var both = a._verifiedSources?.Where(v => b.VerifiedSource(v.Key) is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
            result._verifiedSources = both is { Count: > 0 } ? both : null;
        }
        if (ReferenceEquals(a._vars, b._vars))
        {
            return result;
        }
        foreach (var (name, value) in b._vars)
        {
            if (!result._vars.TryGetValue(name, out var mine))
            {
                result.Set(name, value);
            }
            else if (VarTaint.Join(mine, value) is var joined && !ReferenceEquals(joined, mine))
            {
                result.Set(name, joined);
            }
        }
        return result;
    }
}
