namespace PickleGuard.Cli.Discovery;

/// <summary>One pattern line of a .gitignore file.</summary>
internal sealed record GitIgnoreRule(GlobPattern Pattern, bool Negated, bool DirectoryOnly, bool Anchored)
{
    /// <summary>Parses one line (gitignore(5)); null for blank lines and comments.</summary>
    public static GitIgnoreRule? Parse(string line)
    {
        var text = line.TrimEnd('\r');
        text = TrimUnescapedTrailingSpaces(text);
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }
        var negated = false;
        if (text[0] == '!')
        {
            negated = true;
            text = text[1..];
        }
        else if (text.StartsWith("\\!", StringComparison.Ordinal) || text.StartsWith("\\#", StringComparison.Ordinal))
        {
            text = text[1..];
        }
        var directoryOnly = text.EndsWith('/');
        text = text.TrimEnd('/');
        if (text.Length == 0)
        {
            return null;
        }
        // A slash at the start or in the middle ties the pattern to the .gitignore's directory;
        // otherwise it matches a name at any depth.
        var anchored = text.Contains('/');
        text = text.TrimStart('/');
        return text.Length == 0 ? null : new GitIgnoreRule(new GlobPattern(text), negated, directoryOnly, anchored);
    }

    /// <summary>Does this rule match <paramref name="relativePath"/> (relative to the .gitignore's directory)?</summary>
    public bool Matches(string relativePath, bool isDirectory)
    {
        if (DirectoryOnly && !isDirectory)
        {
            return false;
        }
        if (Anchored)
        {
            return Pattern.Matches(relativePath);
        }
        var slash = relativePath.LastIndexOf('/');
        return Pattern.MatchesName(relativePath.AsSpan(slash + 1));
    }

    private static string TrimUnescapedTrailingSpaces(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == ' ' && !(end > 1 && text[end - 2] == '\\'))
        {
            end--;
        }
        var trimmed = text[..end];
        return trimmed.EndsWith("\\ ", StringComparison.Ordinal) ? trimmed[..^2] + " " : trimmed;
    }
}
