using System.Text;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Where two dumps first differ, and a short cause that groups similar differences
/// ("JoinedStr.values", "Constant@position", …) so the conformance tables show bug classes,
/// not hundreds of files.
/// </summary>
internal sealed record DumpDiff(int Index, string Cause, string NodePath, string ExpectedContext, string ActualContext)
{
    private const int ContextChars = 90;

    /// <summary>Null when the dumps are equal.</summary>
    public static DumpDiff? Compare(string expected, string actual)
    {
        var index = FirstDifference(expected, actual);
        if (index < 0)
            return null;
        var (cause, nodePath) = Locate(expected, index);
        return new DumpDiff(index, cause, nodePath, Context(expected, index), Context(actual, index));
    }

    /// <summary>A multi-line description for a failure message.</summary>
    public string Describe() =>
        $"  first difference at char {Index}, in {NodePath} (cause {Cause})\n" +
        $"  expected (CPython): {ExpectedContext}\n" +
        $"  actual   (ours)   : {ActualContext}";

    private static int FirstDifference(string expected, string actual)
    {
        var common = expected.AsSpan().CommonPrefixLength(actual);
        return common == expected.Length && common == actual.Length ? -1 : common;
    }

    private static string Context(string dump, int index)
    {
        var start = Math.Max(0, index - ContextChars);
        var end = Math.Min(dump.Length, index + ContextChars);
        var builder = new StringBuilder();
        if (start > 0)
            builder.Append('…');
        builder.Append(dump, start, index - start).Append(" >>>");
        builder.Append(dump, index, end - index);
        if (end < dump.Length)
            builder.Append('…');
        return builder.ToString();
    }

    /// <summary>
    /// Walks the expected dump up to <paramref name="index"/> keeping the stack of open nodes and
    /// their current field: the innermost one names the cause.
    /// </summary>
    private static (string Cause, string NodePath) Locate(string dump, int index)
    {
        var stack = new List<(string Node, string? Field)>();
        var i = 0;
        while (i < dump.Length && i < index)
        {
            var c = dump[i];
            if (c == '"')
            {
                var end = SkipString(dump, i);
                if (index < end)
                    break;
                i = end;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < dump.Length && (char.IsAsciiLetterOrDigit(dump[i]) || dump[i] == '_'))
                    i++;
                var word = dump[start..i];
                if (i < dump.Length && dump[i] == '(' && index >= i)
                {
                    stack.Add((word, null));
                    i++;
                }
                else if (i < dump.Length && dump[i] == '=' && stack.Count > 0)
                {
                    stack[^1] = (stack[^1].Node, word);
                    i++;
                }
            }
            else if (c == ')' && stack.Count > 0)
            {
                var closed = stack[^1].Node;
                stack.RemoveAt(stack.Count - 1);
                i++;
                if (i < dump.Length && dump[i] == '@')
                {
                    var end = i + 1;
                    // A position ("1:0-1:8", "None:None-None:None") never holds a separator.
                    while (end < dump.Length && dump[end] is not (',' or ')' or ']'))
                        end++;
                    if (index >= i && index < end)
                        return ($"{closed}@position", PathOf(stack, closed + "@position"));
                    i = end;
                }
            }
            else
            {
                i++;
            }
        }
        if (stack.Count == 0)
            return ("Module", "Module");
        var (node, field) = stack[^1];
        var cause = field is null ? $"{node}(node)" : $"{node}.{field}";
        return (cause, PathOf(stack, null));
    }

    private static string PathOf(List<(string Node, string? Field)> stack, string? last)
    {
        var parts = stack.Select(f => f.Field is null ? f.Node : $"{f.Node}.{f.Field}").ToList();
        if (last is not null)
            parts.Add(last);
        // The outer frames (Module.body, FunctionDef.body …) say little; keep the innermost few.
        return string.Join(" > ", parts.Skip(Math.Max(0, parts.Count - 6)));
    }

    private static int SkipString(string dump, int quote)
    {
        var i = quote + 1;
        while (i < dump.Length && dump[i] != '"')
            i += dump[i] == '\\' ? 2 : 1;
        return Math.Min(dump.Length, i + 1);
    }
}
