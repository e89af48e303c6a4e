namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Where a sink's input comes from, as far as constant reasoning inside the program can tell: program-controlled
/// (a literal, data the program serialized itself, a file opened by a literal path) or of unknown provenance.
/// </summary>
internal readonly record struct Provenance(bool IsProgramControlled, string Description)
{
    public static Provenance Program(string description) => new(true, description);

    public static Provenance Unknown(string description) => new(false, description);

    /// <summary>The less trusted of two provenances (the first unknown one wins, so its description is kept).</summary>
    public Provenance Join(Provenance other) => !IsProgramControlled ? this : !other.IsProgramControlled ? other : this;
}
