using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>Minimal edits inside a call's argument list, computed from the parser's spans and checked against the text.</summary>
internal static class CallArguments
{
    /// <summary>Positional and keyword arguments in source order (the tree keeps them in two lists).</summary>
    public static List<Node> InSourceOrder(CallExpr call) =>
        [.. call.Args.Cast<Node>().Concat(call.Keywords).OrderBy(n => n.Span.Start)];

    /// <summary><c>*args</c> or <c>**kwargs</c>: the call may pass anything, so no argument edit is safe.</summary>
    public static bool HasUnpacking(CallExpr call) =>
        call.Args.Any(a => a is StarredExpr) || call.Keywords.Any(k => k.Arg is null);

    public static Keyword? KeywordNamed(CallExpr call, string name) => call.Keywords.FirstOrDefault(k => k.Arg == name);

    /// <summary>
    /// Removes one argument with the comma that separates it from its neighbour; null when a comment or anything but
    /// whitespace sits in the text that would go.
    /// </summary>
    public static TextEdit? Remove(string path, string text, CallExpr call, Node argument)
    {
        var items = InSourceOrder(call);
        var index = items.IndexOf(argument);
        if (index < 0)
        {
            return null;
        }
        var span = Bounds(text, call, argument);
        if (items.Count > 1 && OwnLine(text, span) is { } line)
        {
            return new TextEdit(path, line.Start, line.End, "");
        }
        if (index > 0)
        {
            // From the comma after the previous argument (a parenthesised argument ends after its ')').
            var gapStart = Bounds(text, call, items[index - 1]).End;
            var comma = text.LastIndexOf(',', span.Start - 1, span.Start - gapStart);
            if (comma < 0 || !IsBlank(text, comma + 1, span.Start))
            {
                return null;
            }
            return new TextEdit(path, comma, span.End, "");
        }
        if (items.Count == 1)
        {
            return null;
        }
        var next = Bounds(text, call, items[1]).Start;
        var firstComma = text.IndexOf(',', span.End, next - span.End);
        if (firstComma < 0 || !IsBlank(text, span.End, firstComma) || !IsBlank(text, firstComma + 1, next))
        {
            return null;
        }
        return new TextEdit(path, span.Start, next, "");
    }

    /// <summary>
    /// Where a new keyword argument goes: after the last argument (<c>f(x, k=v)</c>), or, when the call ends with a
    /// trailing comma, on a line of its own with the last argument's indentation.
    /// </summary>
    public static TextEdit? Append(string path, string text, CallExpr call, string argument)
    {
        var items = InSourceOrder(call);
        if (items.Count == 0)
        {
            return null;
        }
        var last = Bounds(text, call, items[^1]);
        var comma = SkipBlanks(text, last.End);
        if (comma < text.Length && text[comma] == ',' && OwnLine(text, last) is { } line)
        {
            // Insert a whole line after the last argument's line, in its indentation and line-break style.
            var lineBreak = SkipBlanks(text, comma + 1);
            var newline = text.AsSpan(lineBreak, line.End - lineBreak).ToString();
            var indent = text[line.Start..last.Start];
            return new TextEdit(path, line.End, line.End, $"{indent}{argument},{newline}");
        }
        return new TextEdit(path, last.End, last.End, ", " + argument);
    }

    /// <summary>
    /// An argument's extent with the parentheses that wrap it (<c>f((x))</c>): the tree's spans, like CPython's, leave
    /// them out. Only balanced pairs between the callee and the call's closing parenthesis count.
    /// </summary>
    private static TextSpan Bounds(string text, CallExpr call, Node argument)
    {
        var (start, end) = (argument.Span.Start, argument.Span.End);
        var close = call.Span.End - 1;
        while (true)
        {
            var before = start;
            while (before > call.Func.Span.End && char.IsWhiteSpace(text[before - 1]))
            {
                before--;
            }
            var after = end;
            while (after < close && char.IsWhiteSpace(text[after]))
            {
                after++;
            }
            if (before - 1 <= call.Func.Span.End || text[before - 1] != '(' || after >= close || text[after] != ')')
            {
                return TextSpan.FromBounds(start, end);
            }
            (start, end) = (before - 1, after + 1);
        }
    }

    /// <summary>
    /// The whole line of an argument that sits alone on it (indentation, the argument, an optional comma, the line
    /// break), so that removing it leaves the neighbours' lines untouched; null otherwise.
    /// </summary>
    private static TextSpan? OwnLine(string text, TextSpan span)
    {
        var start = LineStart(text, span.Start);
        if (start == 0 || !IsBlank(text, start, span.Start))
        {
            return null;
        }
        var end = SkipBlanks(text, span.End);
        if (end < text.Length && text[end] == ',')
        {
            end = SkipBlanks(text, end + 1);
        }
        if (end >= text.Length || text[end] is not ('\n' or '\r'))
        {
            return null;
        }
        end += text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1;
        return TextSpan.FromBounds(start, end);
    }

    private static int LineStart(string text, int offset)
    {
        while (offset > 0 && text[offset - 1] is not ('\n' or '\r'))
        {
            offset--;
        }
        return offset;
    }

    /// <summary>The first position at or after <paramref name="offset"/> that is not a space or tab.</summary>
    private static int SkipBlanks(string text, int offset)
    {
        while (offset < text.Length && text[offset] is ' ' or '\t')
        {
            offset++;
        }
        return offset;
    }

    /// <summary>Replaces a node's exact text, after checking the span holds what the tree says it does.</summary>
    public static TextEdit? Replace(string path, string text, TextSpan span, string expected, string replacement) =>
        span.Length == expected.Length && span.End <= text.Length && text.AsSpan(span.Start, span.Length).SequenceEqual(expected)
            ? new TextEdit(path, span.Start, span.End, replacement)
            : null;

    /// <summary>Whitespace and backslash continuations only (no comment, no code).</summary>
    private static bool IsBlank(string text, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (!char.IsWhiteSpace(text[i]) && text[i] != '\\')
            {
                return false;
            }
        }
        return true;
    }
}
