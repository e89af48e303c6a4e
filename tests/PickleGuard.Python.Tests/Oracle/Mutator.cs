using System.Text;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Deterministic small edits of valid Python files (delete, duplicate or swap lines, drop or insert a
/// character or token, cut the file short): most make invalid code near real code, some stay valid
/// with an unusual shape. CPython says which, and the parser must agree.
/// </summary>
internal static class Mutator
{
    private static readonly string[] Tokens =
    [
        "(", ")", "[", "]", "{", "}", ":", ",", ".", ";", "=", "==", "+", "*", "**", "->", ":=", "@", "\\",
        "'", "\"", "\"\"\"", "f'", "t'", "#", "\n", "\n    ", "\t", "if", "else", "lambda", "yield", "await",
        "async", "def", "class", "return", "import", "from", "as", "not", "in", "is", "None", "pass", "*", "0",
        "1.", "0x", "1_", "1e", "x", "match", "case", "type", "print",
    ];

    private static readonly string[] Kinds =
        ["delete-line", "duplicate-line", "swap-lines", "delete-char", "insert-token", "dedent-line", "cut"];

    /// <summary><paramref name="count"/> mutants of <paramref name="text"/>, the same for the same seed.</summary>
    public static IEnumerable<Mutant> Mutate(string source, string text, int count, int seed)
    {
        var random = new Random(seed);
        var lines = text.Split('\n');
        for (var i = 0; i < count; i++)
        {
            var kind = Kinds[(seed + i) % Kinds.Length];
            var (mutation, result) = Apply(kind, text, lines, random);
            yield return new Mutant(source, mutation, Encoding.UTF8.GetBytes(result));
        }
    }

    private static (string Mutation, string Text) Apply(string kind, string text, string[] lines, Random random)
    {
        var line = random.Next(lines.Length);
        var at = random.Next(text.Length + 1);
        switch (kind)
        {
            case "delete-line":
                return ($"{kind} {line + 1}", string.Join('\n', lines.Where((_, i) => i != line)));
            case "duplicate-line":
                return ($"{kind} {line + 1}", string.Join('\n', lines.SelectMany((l, i) => i == line ? new[] { l, l } : [l])));
            case "swap-lines":
                {
                    var copy = (string[])lines.Clone();
                    var next = Math.Min(line + 1, copy.Length - 1);
                    (copy[line], copy[next]) = (copy[next], copy[line]);
                    return ($"{kind} {line + 1}", string.Join('\n', copy));
                }
            case "delete-char":
                {
                    // A character that is not white space, so the edit is visible to the grammar.
                    for (var tries = 0; tries < 20 && at < text.Length && char.IsWhiteSpace(text[at]); tries++)
                        at = random.Next(text.Length);
                    if (at >= text.Length)
                        return ($"{kind} at end", text);
                    return ($"{kind} {LineOf(text, at)}", text.Remove(at, char.IsSurrogate(text[at]) && at + 1 < text.Length ? 2 : 1));
                }
            case "insert-token":
                {
                    at = SafeIndex(text, at);
                    var token = Tokens[random.Next(Tokens.Length)];
                    return ($"{kind} {LineOf(text, at)}", text.Insert(at, token));
                }
            case "dedent-line":
                {
                    var copy = (string[])lines.Clone();
                    copy[line] = copy[line].TrimStart(' ', '\t');
                    return ($"{kind} {line + 1}", string.Join('\n', copy));
                }
            default:
                at = SafeIndex(text, at);
                return ($"{kind} {LineOf(text, at)}", text[..at]);
        }
    }

    /// <summary>Never splits a surrogate pair.</summary>
    private static int SafeIndex(string text, int at) =>
        at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) ? at - 1 : at;

    private static int LineOf(string text, int at) => text.AsSpan(0, Math.Min(at, text.Length)).Count('\n') + 1;
}
