namespace PickleGuard.Core;

/// <summary>
/// A security result, the same type for source code and for artifacts.
/// </summary>
/// <param name="RuleCode">Stable code, e.g. <c>PG101</c>.</param>
/// <param name="Severity">The level of evidence (see <see cref="Core.Severity"/>).</param>
/// <param name="Location">Where the finding is reported.</param>
/// <param name="Message">One sentence saying what was found and why it matters.</param>
public sealed record Finding(string RuleCode, Severity Severity, Location Location, string Message)
{
    public Confidence Confidence { get; init; } = Confidence.High;

    /// <summary>The source line of the finding, for display (code findings only).</summary>
    public string? CodeLine { get; init; }

    /// <summary>For artifacts: the dotted name of the callable, e.g. <c>os.system</c>.</summary>
    public string? Callable { get; init; }

    /// <summary>Evidence trail, source first and sink last; empty when there is none.</summary>
    public IReadOnlyList<TraceStep> Trace { get; init; } = [];

    public Fix? Fix { get; init; }
}
