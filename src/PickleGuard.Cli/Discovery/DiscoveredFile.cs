namespace PickleGuard.Cli.Discovery;

/// <summary>
/// A file to scan, with the path as the user gave it or as found under a given directory, and its size when found
/// (0 when it could not be read: reading it later reports why).
/// </summary>
internal sealed record DiscoveredFile(string Path, FileKind Kind, long Length);
