using PickleGuard.Core;

namespace PickleGuard.Analysis;

/// <summary>Findings in deterministic order (path, line, column, rule) and the inputs that could not be analysed.</summary>
public sealed record CodeScanResult(IReadOnlyList<Finding> Findings, IReadOnlyList<InputError> Errors);
