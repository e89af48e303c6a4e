namespace PickleGuard.Cli.Discovery;

/// <summary>A file to scan, with the path as the user gave it or as found under a given directory.</summary>
internal sealed record DiscoveredFile(string Path, FileKind Kind);
