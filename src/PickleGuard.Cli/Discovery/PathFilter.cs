namespace PickleGuard.Cli.Discovery;

/// <summary>
/// An <c>--exclude</c>/<c>--include</c> glob. A pattern without '/' matches a file or directory name at any
/// depth; a pattern with '/' matches the path relative to <see cref="BaseDirectory"/> (the current directory
/// for command-line globs, the configuration file's directory for configured ones).
/// </summary>
internal sealed class PathFilter
{
    private readonly GlobPattern _glob;
    private readonly bool _hasSlash;

    public PathFilter(string pattern, string baseDirectory)
    {
        var text = pattern.Trim();
        if (text.StartsWith("./", StringComparison.Ordinal))
        {
            text = text[2..];
        }
        text = text.TrimEnd('/');
        _hasSlash = text.Contains('/');
        _glob = new GlobPattern(text.TrimStart('/'));
        BaseDirectory = Path.GetFullPath(baseDirectory);
    }

    public string BaseDirectory { get; }

    public bool Matches(string fullPath)
    {
        if (!_hasSlash)
        {
            return _glob.MatchesName(Path.GetFileName(fullPath.AsSpan()));
        }
        var relative = Path.GetRelativePath(BaseDirectory, fullPath).Replace('\\', '/');
        return !relative.StartsWith("../", StringComparison.Ordinal) && _glob.Matches(relative);
    }
}
