namespace PickleGuard.Cli.Filtering;

/// <summary>
/// Inline suppressions in the comment of a finding's line: <c># nosec</c>, <c># noqa</c>,
/// <c># noqa: PG101,PG102</c>, <c># pickleguard: ignore</c> and <c># pickleguard: ignore[PG101]</c>.
/// Without codes every finding on the line is suppressed; with codes only those (a listed code also
/// covers codes it is a prefix of). <c># nosec B301</c> lists only Bandit codes and so suppresses nothing here.
/// </summary>
internal static class Suppressions
{
    public static bool IsSuppressed(string line, string ruleCode)
    {
        var comment = CommentOf(line);
        if (comment is null)
        {
            return false;
        }
        var text = comment.AsSpan();
        return Check(text, "pickleguard: ignore", ruleCode, bracketed: true)
            || Check(text, "pickleguard:ignore", ruleCode, bracketed: true)
            || Check(text, "noqa", ruleCode, bracketed: false)
            || Check(text, "nosec", ruleCode, bracketed: false);
    }

    private static bool Check(ReadOnlySpan<char> comment, string directive, string ruleCode, bool bracketed)
    {
        var searchFrom = 0;
        while (searchFrom < comment.Length)
        {
            var found = comment[searchFrom..].IndexOf(directive, StringComparison.OrdinalIgnoreCase);
            if (found < 0)
            {
                return false;
            }
            var start = searchFrom + found;
            var end = start + directive.Length;
            searchFrom = end;
            var wordStart = start == 0 || !char.IsLetterOrDigit(comment[start - 1]);
            var wordEnd = end == comment.Length || !char.IsLetterOrDigit(comment[end]);
            if (!wordStart || !wordEnd)
            {
                continue;
            }
            var codes = bracketed ? BracketedCodes(comment[end..]) : ListedCodes(comment[end..]);
            if (codes is null || codes.Count == 0)
            {
                return true;
            }
            if (codes.Any(code => ruleCode.StartsWith(code, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Codes after <c>noqa</c>/<c>nosec</c>: an optional ':' then codes separated by ',' or spaces; null when none.</summary>
    private static List<string>? ListedCodes(ReadOnlySpan<char> rest)
    {
        var i = 0;
        while (i < rest.Length && (rest[i] == ' ' || rest[i] == ':'))
        {
            i++;
        }
        var codes = new List<string>();
        var any = false;
        while (i < rest.Length)
        {
            var start = i;
            while (i < rest.Length && char.IsAsciiLetterUpper(char.ToUpperInvariant(rest[i])))
            {
                i++;
            }
            var letters = i - start;
            while (i < rest.Length && char.IsAsciiDigit(rest[i]))
            {
                i++;
            }
            if (letters == 0 || i - start == letters)
            {
                break;
            }
            any = true;
            var code = rest[start..i].ToString().ToUpperInvariant();
            if (code.StartsWith("PG", StringComparison.Ordinal))
            {
                codes.Add(code);
            }
            while (i < rest.Length && (rest[i] == ',' || rest[i] == ' '))
            {
                i++;
            }
        }
        if (!any)
        {
            return null;
        }
        // Codes were listed but none of ours: keep an impossible code so nothing of ours is suppressed.
        return codes.Count == 0 ? ["\u0000"] : codes;
    }

    private static List<string>? BracketedCodes(ReadOnlySpan<char> rest)
    {
        if (rest.Length == 0 || rest[0] != '[')
        {
            return null;
        }
        var close = rest.IndexOf(']');
        if (close < 0)
        {
            return null;
        }
        var codes = new List<string>();
        foreach (var part in rest[1..close].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            codes.Add(part.ToUpperInvariant());
        }
        return codes;
    }

    /// <summary>The text after the first '#' that is not inside a string literal on this line, or null.</summary>
    internal static string? CommentOf(string line)
    {
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
            }
            else if (c == '#')
            {
                return line[(i + 1)..];
            }
        }
        return null;
    }
}
