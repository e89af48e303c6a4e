namespace PickleGuard.Pickle.Policy;

/// <summary>
/// A dotted-name pattern. <c>a.b.c</c> matches exactly; <c>a.b.*</c> matches everything below <c>a.b</c> at any depth;
/// <c>*</c> inside a component (<c>torch.*Storage</c>) matches any characters within that one component.
/// </summary>
internal sealed class NamePattern
{
    private readonly string[] _components;
    private readonly bool _openEnded;

    public NamePattern(string pattern)
    {
        Text = pattern;
        _openEnded = pattern.EndsWith(".*", StringComparison.Ordinal);
        _components = (_openEnded ? pattern[..^2] : pattern).Split('.');
        HasWildcardComponent = _components.Any(c => c.Contains('*'));
    }

    public string Text { get; }

    public bool IsOpenEnded => _openEnded;

    public bool HasWildcardComponent { get; }

    /// <summary>The pattern without a trailing <c>.*</c>.</summary>
    public string Stem => string.Join('.', _components);

    public static string? Validate(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "empty pattern";
        }

        var body = pattern.EndsWith(".*", StringComparison.Ordinal) ? pattern[..^2] : pattern;
        foreach (var component in body.Split('.'))
        {
            if (component.Length == 0)
            {
                return $"empty component in '{pattern}'";
            }

            if (component.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '*' or '<' or '>')))
            {
                return $"'{pattern}' is not a dotted Python name pattern";
            }
        }

        return null;
    }

    public bool Matches(string[] nameComponents)
    {
        if (_openEnded ? nameComponents.Length <= _components.Length : nameComponents.Length != _components.Length)
        {
            return false;
        }

        for (int i = 0; i < _components.Length; i++)
        {
            if (!GlobMatch(_components[i], nameComponents[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool GlobMatch(string pattern, string text)
    {
        int star = pattern.IndexOf('*');
        if (star < 0)
        {
            return pattern == text;
        }

        var prefix = pattern[..star];
        var rest = pattern[(star + 1)..];
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (int i = prefix.Length; i <= text.Length; i++)
        {
            if (GlobMatch(rest, text[i..]))
            {
                return true;
            }
        }

        return false;
    }
}
