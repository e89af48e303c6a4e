namespace PickleGuard.Cli.Discovery;

/// <summary>
/// What .gitignore files left out of a walk: directories (not looked into) and Python source files. A project that
/// ignores committed code (text-generation-webui's `extensions/`) or its model files would otherwise lose them silently.
/// </summary>
internal sealed class GitIgnoredTally
{
    public int Directories { get; set; }

    public int SourceFiles { get; set; }

    /// <summary>A clause for the scan's summary, or empty when nothing was left out.</summary>
    public string Summary() => (Directories, SourceFiles) switch
    {
        (0, 0) => "",
        _ => $"; .gitignore left out {Count(Directories, "director", "y", "ies")} and {Count(SourceFiles, "Python file", "", "s")} (name them on the command line to scan them)",
    };

    private static string Count(int n, string stem, string one, string many) => $"{n} {stem}{(n == 1 ? one : many)}";
}
