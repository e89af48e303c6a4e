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
        if (index > 0)
        {
            // From the comma after the previous argument (a parenthesised argument ends after its ')').
            var gapStart = items[index - 1].Span.End;
            var comma = text.LastIndexOf(',', argument.Span.Start - 1, argument.Span.Start - gapStart);
            if (comma < 0 || !IsBlank(text, comma + 1, argument.Span.Start))
            {
                return null;
            }
            return new TextEdit(path, comma, argument.Span.End, "");
        }
        if (items.Count == 1)
        {
            return null;
        }
        var next = items[1].Span.Start;
        var firstComma = text.IndexOf(',', argument.Span.End, next - argument.Span.End);
        if (firstComma < 0 || !IsBlank(text, argument.Span.End, firstComma) || !IsBlank(text, firstComma + 1, next))
        {
            return null;
        }
        return new TextEdit(path, argument.Span.Start, next, "");
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
