using System.Text;

namespace PickleGuard.Python.Tests.Hostile;

/// <summary>
/// Inputs built to break a parser: extreme nesting, huge lines, random bytes, NULs, broken UTF-8.
/// Each is invalid Python (CPython rejects every one), so the parser must answer with at least one
/// diagnostic. Built on demand by name so test names stay short and the big ones are not kept.
/// </summary>
internal static class HostileInputs
{
    public const int NestedParentheses = 100_000;
    public const int NestedBlocks = 20_000;
    public const int LongLineBytes = 10 * 1024 * 1024;

    public static readonly IReadOnlyList<string> Names =
    [
        "nested-parentheses",
        "nested-brackets-and-braces",
        "nested-blocks",
        "long-line-operator-chain",
        "long-line-operator-chain-complete",
        "long-line-unterminated-string",
        "long-line-unary-chain",
        "random-bytes-seed-1",
        "random-bytes-seed-2",
        "random-bytes-seed-3",
        "random-tokens-seed-1",
        "random-tokens-seed-2",
        "random-tokens-seed-3",
        "nul-in-code",
        "nul-in-string",
        "only-nuls",
        "invalid-utf8-lone-continuation",
        "invalid-utf8-overlong",
        "invalid-utf8-surrogate",
        "invalid-utf8-truncated-at-eof",
    ];

    public static byte[] Build(string name) => name switch
    {
        "nested-parentheses" => Ascii(new string('(', NestedParentheses) + "1" + new string(')', NestedParentheses) + "\n"),
        "nested-brackets-and-braces" => Ascii(Repeat("[{(", NestedParentheses / 3) + "1" + "\n"),
        "nested-blocks" => NestedIfBlocks(NestedBlocks),
        "long-line-operator-chain" => LongLine("x = ", "a+", "\n"),
        // Grammatical, but a 2.6-million-deep BinOp tree: CPython stops with a RecursionError
        // ("maximum recursion depth exceeded during ast construction"); we need a depth limit too.
        "long-line-operator-chain-complete" => LongLine("x = ", "a+", "a\n"),
        "long-line-unterminated-string" => LongLine("x = \"", "a", "\n"),
        "long-line-unary-chain" => LongLine("x = ", "-", "\n"),
        "nul-in-code" => Ascii("x = 1\0\ny = 2\n"),
        "nul-in-string" => Ascii("x = 'a\0b'\n"),
        "only-nuls" => new byte[4096],
        "invalid-utf8-lone-continuation" => [.. "x = '"u8, 0x80, 0xBF, .. "'\n"u8],
        "invalid-utf8-overlong" => [.. "x = '"u8, 0xC0, 0xAF, .. "'\n"u8],
        "invalid-utf8-surrogate" => [.. "x = '"u8, 0xED, 0xA0, 0x80, .. "'\n"u8],
        "invalid-utf8-truncated-at-eof" => [.. "x = '"u8, 0xE2, 0x82],
        _ when name.StartsWith("random-bytes-seed-", StringComparison.Ordinal) => RandomBytes(SeedOf(name)),
        _ when name.StartsWith("random-tokens-seed-", StringComparison.Ordinal) => RandomTokens(SeedOf(name)),
        _ => throw new ArgumentException($"unknown hostile input {name}", nameof(name)),
    };

    private static int SeedOf(string name) => int.Parse(name[(name.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static string Repeat(string unit, int count) => new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString();

    /// <summary>A prefix, then <paramref name="unit"/> repeated to about 10 MB on one line, then a suffix.</summary>
    private static byte[] LongLine(string prefix, string unit, string suffix)
    {
        var count = (LongLineBytes - prefix.Length - suffix.Length) / unit.Length;
        var bytes = new byte[prefix.Length + count * unit.Length + suffix.Length];
        var position = Encoding.ASCII.GetBytes(prefix, bytes);
        var unitBytes = Encoding.ASCII.GetBytes(unit);
        for (var i = 0; i < count; i++, position += unitBytes.Length)
            unitBytes.CopyTo(bytes, position);
        Encoding.ASCII.GetBytes(suffix, bytes.AsSpan(position));
        return bytes;
    }

    /// <summary>
    /// <c>if x:</c> nested <paramref name="depth"/> deep, one more space of indentation a level,
    /// then a body: about depth²/2 bytes (200 MB for 20,000 levels). CPython stops at 100 levels
    /// ("too many levels of indentation").
    /// </summary>
    private static byte[] NestedIfBlocks(int depth)
    {
        var header = "if x:\n"u8;
        var body = "pass\n"u8;
        long size = (long)depth * (depth - 1) / 2 + (long)depth * header.Length + depth + body.Length;
        var bytes = new byte[size];
        bytes.AsSpan().Fill((byte)' ');
        long position = 0;
        for (var level = 0; level < depth; level++)
        {
            position += level;
            header.CopyTo(bytes.AsSpan((int)position));
            position += header.Length;
        }
        position += depth;
        body.CopyTo(bytes.AsSpan((int)position));
        return bytes;
    }

    private static byte[] RandomBytes(int seed)
    {
        var bytes = new byte[256 * 1024];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static readonly string[] Vocabulary =
    [
        "def", "class", "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "as",
        "lambda", "yield", "await", "async", "return", "import", "from", "match", "case", "type", "not",
        "and", "or", "in", "is", "None", "x", "y", "_", "(", ")", "[", "]", "{", "}", ":", ",", ".", ";",
        "=", "==", "+", "-", "*", "**", "/", "//", "@", "->", ":=", "...", "0", "1.5e3", "0x_F", "1j",
        "'s'", "\"\"\"doc", "f'{x!r:>{y}}'", "t'{x}'", "rb'\\x'", "f'{", "}", "\\", "#c", "\n", "\n    ",
        "\n\t", "\r\n", "\u00e9", "\u2028",
    ];

    /// <summary>Python-looking token soup: deeper into the parser than random bytes get.</summary>
    private static byte[] RandomTokens(int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder();
        for (var i = 0; i < 60_000; i++)
            builder.Append(Vocabulary[random.Next(Vocabulary.Length)]).Append(random.Next(4) == 0 ? "" : " ");
        // An unmatched closer keeps the soup invalid whatever the draw.
        builder.Append(")\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
