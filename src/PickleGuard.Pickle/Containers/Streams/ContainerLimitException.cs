namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// Raised inside a decoding stream when a limit is reached; caught by <see cref="ArtifactScanner"/> and turned into a
/// PG221 finding (it never leaves the scanner).
/// </summary>
internal sealed class ContainerLimitException(string message) : Exception(message);
