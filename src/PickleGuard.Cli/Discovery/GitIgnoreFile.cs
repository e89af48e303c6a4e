namespace PickleGuard.Cli.Discovery;

/// <summary>The rules of one .gitignore file, relative to the directory that holds it.</summary>
internal sealed class GitIgnoreFile(string directory, IReadOnlyList<GitIgnoreRule> rules)
{
    public string Directory { get; } = directory;

    public IReadOnlyList<GitIgnoreRule> Rules { get; } = rules;

    public static GitIgnoreFile Parse(string directory, string content)
    {
        var rules = new List<GitIgnoreRule>();
        foreach (var line in content.Split('\n'))
        {
            if (GitIgnoreRule.Parse(line) is { } rule)
            {
                rules.Add(rule);
            }
        }
        return new GitIgnoreFile(directory, rules);
    }

    /// <summary>The verdict of the last matching rule: true = ignored, false = re-included, null = no rule matches.</summary>
    public bool? Verdict(string fullPath, bool isDirectory)
    {
        var relative = Path.GetRelativePath(Directory, fullPath).Replace('\\', '/');
        if (relative == "." || relative.StartsWith("../", StringComparison.Ordinal) || relative == "..")
        {
            return null;
        }
        for (var i = Rules.Count - 1; i >= 0; i--)
        {
            if (Rules[i].Matches(relative, isDirectory))
            {
                return !Rules[i].Negated;
            }
        }
        return null;
    }
}
