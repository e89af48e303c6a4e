using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

/// <summary>Everything found in one artifact: findings (including unscannable parts), input errors and the layout.</summary>
public sealed record ArtifactScanResult(IReadOnlyList<Finding> Findings, IReadOnlyList<InputError> Errors, ContainerNode Layout);
