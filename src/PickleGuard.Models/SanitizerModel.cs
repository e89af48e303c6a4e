namespace PickleGuard.Models;

/// <summary>An API that clears, verifies or guards tainted data (see <see cref="SanitizerEffect"/>).</summary>
public sealed record SanitizerModel(SanitizerEffect Effect, IReadOnlyList<string> Names, string Reason, string Reference, ModelOrigin Origin)
{
    /// <summary>
    /// For a verifier that decodes what it verified with an object it is given: the argument naming that class (or
    /// instance) and the method called on an instance of it with the verified data (Django's <c>signing.loads(s,
    /// serializer=PickleSerializer)</c> runs <c>PickleSerializer().loads(data)</c>); null for the others.
    /// </summary>
    public VerifiedHandOff? HandsTo { get; init; }
}

/// <summary>The argument of a verifying call that names a class, and the method of it that gets the verified data.</summary>
public sealed record VerifiedHandOff(ArgumentSelector Argument, string Method);
