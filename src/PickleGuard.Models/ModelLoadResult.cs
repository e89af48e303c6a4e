namespace PickleGuard.Models;

/// <summary>The models that loaded, and every problem found on the way; a bad entry is skipped, never fatal.</summary>
public sealed record ModelLoadResult(ModelSet Models, IReadOnlyList<ModelError> Errors);
