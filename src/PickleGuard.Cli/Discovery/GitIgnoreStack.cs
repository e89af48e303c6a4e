namespace PickleGuard.Cli.Discovery;

/// <summary>
/// The .gitignore files in force for one directory: those of its ancestors (up to the repository root) and
/// its own. A deeper file overrides a shallower one; inside a file the last matching line wins.
/// </summary>
internal sealed class GitIgnoreStack
{
    private readonly GitIgnoreFile[] _files;

    private GitIgnoreStack(GitIgnoreFile[] files) => _files = files;

    public static GitIgnoreStack Empty { get; } = new([]);

    /// <summary>The stack for a walk root: .gitignore files from the repository root (the nearest ancestor with .git) down to it.</summary>
    public static GitIgnoreStack ForRoot(string directory, Action<string, string> onError)
    {
        var chain = new List<string>();
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            chain.Add(dir.FullName);
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
            {
                break;
            }
            if (dir.Parent is null)
            {
                // Not inside a repository: only the walk root's own .gitignore files count.
                chain.RemoveRange(1, chain.Count - 1);
            }
        }
        chain.Reverse();
        var stack = Empty;
        foreach (var dir in chain)
        {
            stack = stack.Enter(dir, onError);
        }
        return stack;
    }

    /// <summary>The stack for a child directory: this one plus the child's .gitignore, if any.</summary>
    public GitIgnoreStack Enter(string directory, Action<string, string> onError)
    {
        var path = Path.Combine(directory, ".gitignore");
        if (!File.Exists(path))
        {
            return this;
        }
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            onError(path, "cannot read .gitignore: " + ex.Message);
            return this;
        }
        return new GitIgnoreStack([.. _files, GitIgnoreFile.Parse(directory, content)]);
    }

    public bool IsIgnored(string fullPath, bool isDirectory)
    {
        for (var i = _files.Length - 1; i >= 0; i--)
        {
            if (_files[i].Verdict(fullPath, isDirectory) is { } ignored)
            {
                return ignored;
            }
        }
        return false;
    }
}
