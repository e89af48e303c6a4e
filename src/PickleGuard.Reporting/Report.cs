using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>Everything one run reports: findings (already filtered), problems with inputs, syntax errors.</summary>
public sealed record Report(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<InputError> Errors,
    IReadOnlyList<SyntaxProblem> SyntaxErrors)
{
    /// <summary>Findings a suppression comment hid (counted in the summary, not reported).</summary>
    public IReadOnlyList<Finding> Suppressed { get; init; } = [];
}
