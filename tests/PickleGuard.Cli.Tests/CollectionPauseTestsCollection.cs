namespace PickleGuard.Cli.Tests;

/// <summary>Runs <see cref="CollectionPauseTests"/> alone: the GC latency mode they check is process-wide.</summary>
[CollectionDefinition(nameof(CollectionPauseTests), DisableParallelization = true)]
public sealed class CollectionPauseTestsCollection;
