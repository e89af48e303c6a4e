using Tomlyn.Syntax;

namespace PickleGuard.Models;

/// <summary>
/// The key/value pairs of one TOML table (or inline table) with typed getters that report problems as
/// <see cref="ModelError"/>s naming the file and line, and a final check for keys nobody asked for.
/// </summary>
internal sealed class TomlEntry
{
    private readonly Dictionary<string, KeyValueSyntax> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<ModelError> _errors;

    public TomlEntry(string file, int line, IEnumerable<KeyValueSyntax> items, List<ModelError> errors)
    {
        File = file;
        Line = line;
        _errors = errors;
        foreach (var item in items)
        {
            var key = KeyName(item.Key);
            if (key is null)
            {
                Error(item, "dotted keys are not supported in model files");
                continue;
            }
            if (!_values.TryAdd(key, item))
            {
                Error(item, $"duplicate key '{key}'");
            }
        }
    }

    public string File { get; }

    /// <summary>1-based line of the entry's header.</summary>
    public int Line { get; }

    public bool HasErrors { get; private set; }

    public static int LineOf(SyntaxNode node) => node.Span.Start.Line + 1;

    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>The entry's keys, in no particular order (an inline table whose keys are names: <c>{ pipeline = [...] }</c>).</summary>
    public IEnumerable<string> Keys => _values.Keys;

    public int LineOfKey(string key) => _values.TryGetValue(key, out var kv) ? LineOf(kv) : Line;

    public void Error(SyntaxNode node, string message) => Error(LineOf(node), message);

    public void Error(int line, string message)
    {
        HasErrors = true;
        _errors.Add(new ModelError(File, line, message));
    }

    public string? String(string key, bool required)
    {
        var value = Value(key, required);
        if (value is null)
        {
            return null;
        }
        if (value is StringValueSyntax { Value: { Length: > 0 } text })
        {
            return text;
        }
        Error(value, $"'{key}' must be a non-empty string");
        return null;
    }

    public long? Integer(string key, bool required)
    {
        var value = Value(key, required);
        if (value is null)
        {
            return null;
        }
        if (value is IntegerValueSyntax i)
        {
            return i.Value;
        }
        Error(value, $"'{key}' must be an integer");
        return null;
    }

    public bool? Boolean(string key)
    {
        var value = Value(key, required: false);
        if (value is null)
        {
            return null;
        }
        if (value is BooleanValueSyntax b)
        {
            return b.Value;
        }
        Error(value, $"'{key}' must be true or false");
        return null;
    }

    /// <summary>An array of non-empty strings; null when absent or wrong (the error is recorded).</summary>
    public IReadOnlyList<string>? Strings(string key, bool required)
    {
        var value = Value(key, required);
        if (value is null)
        {
            return null;
        }
        if (value is not ArraySyntax array || array.Items.ChildrenCount == 0)
        {
            Error(value, $"'{key}' must be a non-empty array of strings");
            return null;
        }
        var result = new List<string>();
        foreach (var item in array.Items)
        {
            if (item.Value is StringValueSyntax { Value: { Length: > 0 } text })
            {
                result.Add(text);
            }
            else
            {
                Error(item, $"'{key}' must contain only non-empty strings");
                return null;
            }
        }
        return result;
    }

    /// <summary>The raw array items of <paramref name="key"/>; null when absent or not an array.</summary>
    public IReadOnlyList<ValueSyntax>? Array(string key)
    {
        var value = Value(key, required: false);
        if (value is null)
        {
            return null;
        }
        if (value is ArraySyntax array && array.Items.ChildrenCount > 0)
        {
            return array.Items.Select(i => i.Value).OfType<ValueSyntax>().ToArray();
        }
        Error(value, $"'{key}' must be a non-empty array");
        return null;
    }

    /// <summary>An inline table (<c>{ a = 1 }</c>) as its own entry; null when absent or not an inline table.</summary>
    public TomlEntry? Table(string key)
    {
        var value = Value(key, required: false);
        if (value is null)
        {
            return null;
        }
        if (value is InlineTableSyntax table)
        {
            return new TomlEntry(File, LineOf(value), table.Items.Select(i => i.KeyValue).OfType<KeyValueSyntax>(), _errors);
        }
        Error(value, $"'{key}' must be an inline table {{ ... }}");
        return null;
    }

    /// <summary>The value syntax of <paramref name="key"/> for callers that accept several shapes.</summary>
    public ValueSyntax? Value(string key, bool required)
    {
        _used.Add(key);
        if (_values.TryGetValue(key, out var kv))
        {
            return kv.Value;
        }
        if (required)
        {
            Error(Line, $"missing required key '{key}'");
        }
        return null;
    }

    /// <summary>Reports every key that no getter asked for (a typo must not be silently ignored).</summary>
    public void RejectUnknownKeys(string what)
    {
        foreach (var (key, kv) in _values)
        {
            if (!_used.Contains(key))
            {
                Error(kv, $"unknown key '{key}' in {what}");
            }
        }
    }

    private static string? KeyName(KeySyntax? key)
    {
        if (key is null || key.DotKeys.ChildrenCount > 0)
        {
            return null;
        }
        return key.Key switch
        {
            BareKeySyntax bare => bare.Key?.Text,
            StringValueSyntax quoted => quoted.Value,
            _ => null,
        };
    }
}
