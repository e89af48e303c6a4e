namespace PickleGuard.Core;

/// <summary>A behaviour-preserving change that removes the finding; edits never overlap.</summary>
public sealed record Fix(string Description, IReadOnlyList<TextEdit> Edits);
