namespace PickleGuard.Pickle.Tests;

/// <summary>Runs <see cref="LiveMemoryTests"/> alone: the live memory they measure is process-wide.</summary>
[CollectionDefinition(nameof(LiveMemoryTests), DisableParallelization = true)]
public sealed class LiveMemoryTestsCollection;
