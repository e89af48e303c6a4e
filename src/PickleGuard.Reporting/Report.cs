using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>Everything one run reports: findings (already filtered), problems with inputs, syntax errors.</summary>
public sealed record Report(
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<InputError> Errors,
    IReadOnlyList<SyntaxProblem> SyntaxErrors);
