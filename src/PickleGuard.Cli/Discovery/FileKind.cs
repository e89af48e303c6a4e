namespace PickleGuard.Cli.Discovery;

/// <summary>How a discovered file is scanned.</summary>
internal enum FileKind
{
    Python,
    Notebook,
    Artifact,
}
