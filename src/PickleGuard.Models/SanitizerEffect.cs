namespace PickleGuard.Models;

/// <summary>What a sanitizer entry does to tainted data.</summary>
public enum SanitizerEffect
{
    /// <summary>The call's result carries no attacker-controlled bytes (<c>len</c>, <c>int</c>, digests).</summary>
    Clears,

    /// <summary>The call's result was authenticated (<c>itsdangerous</c> signed loads): findings are downgraded.</summary>
    Verifies,

    /// <summary>A test that, when it holds, authenticates the data named in its arguments (<c>hmac.compare_digest</c>).</summary>
    Guard,

    /// <summary>
    /// A call that returns only when the data named in its arguments is authentic and raises otherwise (cryptography's
    /// <c>public_key.verify(signature, data, ...)</c>): the code after it holds that data verified.
    /// </summary>
    Asserts,
}
