namespace PickleGuard.Cli.Discovery;

/// <summary>
/// A gitignore-style glob over '/'-separated paths: <c>*</c> and <c>?</c> stay inside one segment,
/// a whole <c>**</c> segment matches zero or more segments, <c>[a-z]</c> / <c>[!a-z]</c> are character
/// classes and <c>\x</c> escapes. Matching is hand-written (no regex) and linear in practice.
/// </summary>
internal sealed class GlobPattern
{
    private readonly string[] _segments;

    public GlobPattern(string pattern)
    {
        Text = pattern;
        _segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
    }

    public string Text { get; }

    /// <summary>Match against a relative '/'-separated path (no leading slash).</summary>
    public bool Matches(ReadOnlySpan<char> path) => MatchSegments(0, path, depth: 0);

    /// <summary>Match a single name, for patterns without a slash.</summary>
    public bool MatchesName(ReadOnlySpan<char> name) => _segments.Length == 1 && MatchSegment(_segments[0], name);

    /// <summary>
    /// Matches the pattern's segments from <paramref name="patternIndex"/> against the rest of the path, taken one
    /// segment at a time (empty segments skipped) rather than split: this runs for every file under every rule.
    /// </summary>
    private bool MatchSegments(int patternIndex, ReadOnlySpan<char> path, int depth)
    {
        // Each '**' adds one level of recursion; patterns come from users, so bound it.
        if (depth > 64)
        {
            return false;
        }
        path = path.TrimStart('/');
        while (patternIndex < _segments.Length)
        {
            var segment = _segments[patternIndex];
            if (segment == "**")
            {
                if (patternIndex == _segments.Length - 1)
                {
                    // A trailing '/**' matches everything inside, not the directory itself.
                    return !path.IsEmpty;
                }
                // Let the '**' take no segment, then one more at a time, up to all of them.
                while (true)
                {
                    if (MatchSegments(patternIndex + 1, path, depth + 1))
                    {
                        return true;
                    }
                    if (path.IsEmpty)
                    {
                        return false;
                    }
                    path = AfterFirstSegment(path);
                }
            }
            var slash = path.IndexOf('/');
            if (path.IsEmpty || !MatchSegment(segment, slash < 0 ? path : path[..slash]))
            {
                return false;
            }
            path = AfterFirstSegment(path);
            patternIndex++;
        }
        return path.IsEmpty;
    }

    /// <summary>The path without its first segment and the slashes after it.</summary>
    private static ReadOnlySpan<char> AfterFirstSegment(ReadOnlySpan<char> path)
    {
        var slash = path.IndexOf('/');
        return slash < 0 ? [] : path[(slash + 1)..].TrimStart('/');
    }

    /// <summary>Wildcard match of one segment with single-star backtracking.</summary>
    internal static bool MatchSegment(string pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                while (p < pattern.Length && pattern[p] == '*')
                {
                    p++;
                }
                starP = p;
                starN = n;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, ref p, name[n]))
            {
                n++;
                continue;
            }
            if (starP < 0)
            {
                return false;
            }
            p = starP;
            n = ++starN;
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>Match one pattern element at <paramref name="p"/> against <paramref name="c"/>, advancing past it on success.</summary>
    private static bool MatchOne(string pattern, ref int p, char c)
    {
        switch (pattern[p])
        {
            case '?':
                p++;
                return true;
            case '\\' when p + 1 < pattern.Length:
                if (pattern[p + 1] != c)
                {
                    return false;
                }
                p += 2;
                return true;
            case '[':
                var end = ClassEnd(pattern, p);
                if (end < 0)
                {
                    goto default;
                }
                if (!MatchClass(pattern, p + 1, end, c))
                {
                    return false;
                }
                p = end + 1;
                return true;
            default:
                if (pattern[p] != c)
                {
                    return false;
                }
                p++;
                return true;
        }
    }

    /// <summary>Index of the ']' closing the class opened at <paramref name="open"/>, or -1 (then '[' is literal).</summary>
    private static int ClassEnd(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^'))
        {
            i++;
        }
        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }
        for (; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == ']')
            {
                return i;
            }
        }
        return -1;
    }

    private static bool MatchClass(string pattern, int start, int end, char c)
    {
        var negated = pattern[start] == '!' || pattern[start] == '^';
        var i = negated ? start + 1 : start;
        var matched = false;
        var first = true;
        while (i < end)
        {
            var low = pattern[i];
            if (low == '\\' && i + 1 < end)
            {
                low = pattern[++i];
            }
            else if (low == ']' && !first)
            {
                break;
            }
            first = false;
            i++;
            if (i + 1 < end && pattern[i] == '-')
            {
                var high = pattern[i + 1];
                if (high == '\\' && i + 2 < end)
                {
                    high = pattern[i + 2];
                    i++;
                }
                i += 2;
                matched |= c >= low && c <= high;
            }
            else
            {
                matched |= c == low;
            }
        }
        return matched != negated;
    }
}
