namespace PickleGuard.Cli.Discovery;

/// <summary>What to look for while walking directories.</summary>
internal sealed class DiscoveryOptions
{
    public IReadOnlyList<PathFilter> Exclude { get; init; } = [];

    /// <summary>Extra file globs taken as Python sources (on top of the built-in extensions).</summary>
    public IReadOnlyList<PathFilter> Include { get; init; } = [];

    public bool RespectGitIgnore { get; init; } = true;

    /// <summary>Decides from the path and the first bytes whether a non-Python file is a serialized artifact; null to skip artifacts.</summary>
    public Func<string, ReadOnlyMemory<byte>, bool>? IsArtifact { get; init; }

    /// <summary>
    /// The deeper content test for a file named on the command line that <see cref="IsArtifact"/> rejected and that
    /// has neither a Python extension nor a Python shebang; null to take such files as Python.
    /// </summary>
    public Func<string, bool>? IsArtifactContent { get; init; }
}
