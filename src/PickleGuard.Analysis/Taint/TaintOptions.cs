namespace PickleGuard.Analysis.Taint;

/// <summary>
/// How the taint engine runs: which source kinds form the threat model (remote, network-data, local, library) and
/// the budgets that bound its work. <see cref="Disabled"/> runs the sink-only scan (steps 1 and 2).
/// </summary>
public sealed record TaintOptions
{
    /// <summary>The default threat model: remote, network-data and local sources; library parameters off.</summary>
    public static readonly IReadOnlySet<string> DefaultSourceKinds = new HashSet<string>(StringComparer.Ordinal) { "remote", "network-data", "local" };

    public static TaintOptions Default { get; } = new();

    public static TaintOptions Disabled { get; } = new() { Enabled = false };

    public bool Enabled { get; init; } = true;

    /// <summary>Source kinds that are followed; sources of other kinds are ignored.</summary>
    public IReadOnlySet<string> SourceKinds { get; init; } = DefaultSourceKinds;

    /// <summary>Expressions and statements evaluated per analysis of one function before it is cut short.</summary>
    public int MaxStepsPerFunction { get; init; } = 40_000;

    /// <summary>Analyses of one recursive group (SCC of the call graph) before its summaries are taken as they are.</summary>
    public int MaxFixpointIterations { get; init; } = 6;

    /// <summary>
    /// Function analyses spent on one recursive group (iterations × members) before its summaries are taken as they
    /// are: a group of hundreds of mutually recursive methods (an ORM) must not cost iterations × size × body.
    /// </summary>
    public int MaxAnalysesPerGroup { get; init; } = 4_000;

    /// <summary>
    /// Steps over the whole program (a safety net): when spent, refinement stops, findings without a proven path
    /// keep their sink-level severity, and a note says that precision was cut.
    /// </summary>
    public long MaxTotalSteps { get; init; } = 20_000_000;

    /// <summary>Whole-program rounds (for instance attributes and globals written in one function, read in another).</summary>
    public int MaxRounds { get; init; } = 10;
}
