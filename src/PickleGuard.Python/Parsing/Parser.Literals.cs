using System.Globalization;
using System.Numerics;
using System.Text;

namespace PickleGuard.Python;

internal sealed partial class Parser
{
    /// <summary>Longest str literal body whose value is made as the literal is parsed, when it is its own text.</summary>
    private const int MaxEagerLength = 64;

    /// <summary>
    /// The value of a str literal body, as <see cref="DecodeText"/> gives it; a long one that is its own text stays a
    /// slice of the source until something reads it: docstrings and messages are most of the literals' chars, and a
    /// scan reads almost none of them.
    /// </summary>
    private ConstantValue DecodeTextConstant(int start, int end, bool raw) =>
        end - start > MaxEagerLength && IsVerbatim(_text.AsSpan(start, end - start), raw, fstringText: false)
            ? ConstantValue.FromSource(_text, start, end - start)
            : ConstantValue.FromString(DecodeText(start, end, raw));

    /// <summary>
    /// The value of a str literal body. One without escapes or line breaks to normalize is its own text: a short one
    /// comes from the thread's literal table, as the same few values ('utf-8', '__main__', keys) recur from file to file.
    /// </summary>
    private string DecodeText(int start, int end, bool raw)
    {
        ReadOnlySpan<char> body = _text.AsSpan(start, end - start);
        if (IsVerbatim(body, raw, fstringText: false))
        {
            string literal = _literals.Intern(body, out int hash);
            if (literal.Length <= NameFilter.MaxStringLength)
            {
                _nameFilter.Add(hash);
            }

            return literal;
        }

        StringBuilder builder = Scratch();
        AppendDecodedText(builder, start, end, raw, false);
        return NotedString(builder.ToString());
    }

    /// <summary><paramref name="value"/>, a str literal's value, noted in <see cref="Names"/> when it is short enough to be a name.</summary>
    private string NotedString(string value)
    {
        if (value.Length <= NameFilter.MaxStringLength)
        {
            _nameFilter.Add(NameTable.Hash(value));
        }

        return value;
    }

    /// <summary>Appends the decoded str literal body (and '{{'/'}}' in f-string text) to <paramref name="builder"/>.</summary>
    private void AppendDecodedText(StringBuilder builder, int start, int end, bool raw, bool fstringText)
    {
        ReadOnlySpan<char> body = _text.AsSpan(start, end - start);
        if (IsVerbatim(body, raw, fstringText))
        {
            builder.Append(body);
            return;
        }

        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == '\r')
            {
                // Line breaks inside string literals are normalized to '\n', as CPython's tokenizer does.
                builder.Append('\n');
                if (i + 1 < body.Length && body[i + 1] == '\n')
                {
                    i++;
                }

                continue;
            }

            if (fstringText && (c == '{' || c == '}') && i + 1 < body.Length && body[i + 1] == c)
            {
                builder.Append(c);
                i++;
                continue;
            }

            if (c != '\\' || raw || i + 1 >= body.Length)
            {
                builder.Append(c);
                continue;
            }

            i = DecodeEscape(body, i, start, builder);
        }
    }

    /// <summary>Whether a literal body decodes to itself: no escapes to decode, no line breaks to normalize.</summary>
    private static bool IsVerbatim(ReadOnlySpan<char> body, bool raw, bool fstringText) =>
        (raw || !body.Contains('\\')) && !body.Contains('\r')
        && !(fstringText && (body.Contains("{{", StringComparison.Ordinal) || body.Contains("}}", StringComparison.Ordinal)));

    /// <summary>Decodes the escape at body[i] ('\\'); returns the index of its last char.</summary>
    private int DecodeEscape(ReadOnlySpan<char> body, int i, int offset, StringBuilder builder)
    {
        char e = body[i + 1];
        switch (e)
        {
            case '\n':
                return i + 1;
            case '\r':
                return i + 2 < body.Length && body[i + 2] == '\n' ? i + 2 : i + 1;
            case '\\':
            case '\'':
            case '"':
                builder.Append(e);
                return i + 1;
            case 'a':
                builder.Append('\a');
                return i + 1;
            case 'b':
                builder.Append('\b');
                return i + 1;
            case 'f':
                builder.Append('\f');
                return i + 1;
            case 'n':
                builder.Append('\n');
                return i + 1;
            case 'r':
                builder.Append('\r');
                return i + 1;
            case 't':
                builder.Append('\t');
                return i + 1;
            case 'v':
                builder.Append('\v');
                return i + 1;
            case 'x':
                return HexEscape(body, i, 2, offset, builder);
            case 'u':
                return HexEscape(body, i, 4, offset, builder);
            case 'U':
                return HexEscape(body, i, 8, offset, builder);
            case 'N':
                return NamedEscape(body, i, offset, builder);
            default:
                if (e >= '0' && e <= '7')
                {
                    int value = 0;
                    int j = i + 1;
                    while (j < body.Length && j < i + 4 && body[j] >= '0' && body[j] <= '7')
                    {
                        value = value * 8 + (body[j] - '0');
                        j++;
                    }

                    builder.Append((char)value);
                    return j - 1;
                }

                // Unknown escapes are kept as written (CPython only warns).
                builder.Append('\\');
                return i;
        }
    }

    private int HexEscape(ReadOnlySpan<char> body, int i, int digits, int offset, StringBuilder builder)
    {
        int value = 0;
        int j = i + 2;
        for (; j < i + 2 + digits; j++)
        {
            if (j >= body.Length || !char.IsAsciiHexDigit(body[j]))
            {
                string message = $"(unicode error) truncated \\{body[i + 1]}{new string('X', digits)} escape";
                if (digits == 2)
                {
                    Error(new TextSpan(offset + i, j - i), message);
                }
                else
                {
                    UnicodeEscapeError(new TextSpan(offset + i, j - i), message, body[i..j], builder);
                }

                return j - 1;
            }

            value = value * 16 + HexValue(body[j]);
        }

        if (value > 0x10FFFF || value < 0)
        {
            UnicodeEscapeError(new TextSpan(offset + i, j - i), "(unicode error) illegal Unicode character", body[i..j], builder);
            return j - 1;
        }

        AppendCodePoint(builder, value);
        return j - 1;
    }

    /// <summary>A bad \\u, \\U or \\N escape is an error in Python 3, but in a Python 2 byte string (a str
    /// literal without a u prefix) it was plain text: then it is kept as text with a Python 2 diagnostic.</summary>
    private void UnicodeEscapeError(TextSpan span, string message, ReadOnlySpan<char> text, StringBuilder builder)
    {
        if (_unicodeEscapesMayBePython2Text)
        {
            _diagnostics.AddPython2(span, message + " (in a Python 2 byte string it is plain text; kept as text)");
            builder.Append(text);
        }
        else
        {
            Error(span, message);
        }
    }

    private static void AppendCodePoint(StringBuilder builder, int value)
    {
        if (value < 0x10000)
        {
            builder.Append((char)value);
        }
        else
        {
            value -= 0x10000;
            builder.Append((char)(0xD800 + (value >> 10))).Append((char)(0xDC00 + (value & 0x3FF)));
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private int NamedEscape(ReadOnlySpan<char> body, int i, int offset, StringBuilder builder)
    {
        if (i + 2 >= body.Length || body[i + 2] != '{')
        {
            UnicodeEscapeError(new TextSpan(offset + i, 2), "(unicode error) malformed \\N character escape", body.Slice(i, 2), builder);
            return i + 1;
        }

        int close = body[(i + 3)..].IndexOf('}');
        if (close < 0)
        {
            UnicodeEscapeError(new TextSpan(offset + i, body.Length - i), "(unicode error) malformed \\N character escape", body[i..], builder);
            return body.Length - 1;
        }

        ReadOnlySpan<char> name = body.Slice(i + 3, close);
        int codePoint = UnicodeNames.Lookup(name);
        if (codePoint < 0)
        {
            // Always an error: a well-formed but unknown name is far likelier a typo in Python 3 code than
            // Python 2 byte-string text.
            Error(new TextSpan(offset + i, close + 4), "(unicode error) unknown Unicode character name");
        }
        else
        {
            AppendCodePoint(builder, codePoint);
        }

        return i + 3 + close;
    }

    /// <summary>Decodes a bytes literal body; only ASCII characters are allowed.</summary>
    private void DecodeBytes(int start, int end, bool raw, List<byte> into)
    {
        ReadOnlySpan<char> body = _text.AsSpan(start, end - start);
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c >= 0x80)
            {
                Error(new TextSpan(start + i, 1), "bytes can only contain ASCII literal characters");
                continue;
            }

            if (c == '\r')
            {
                into.Add((byte)'\n');
                if (i + 1 < body.Length && body[i + 1] == '\n')
                {
                    i++;
                }

                continue;
            }

            if (c != '\\' || raw || i + 1 >= body.Length || body[i + 1] is 'u' or 'U' or 'N')
            {
                into.Add((byte)c);
                continue;
            }

            StringBuilder builder = Scratch();
            i = DecodeEscape(body, i, start, builder);
            for (int k = 0; k < builder.Length; k++)
            {
                into.Add((byte)builder[k]);
            }
        }
    }

    private ConstantExpr ParseNumber(Token token)
    {
        ReadOnlySpan<char> text = _text.AsSpan(token.Start, token.Length);
        if (text.Contains('_'))
        {
            if (text.EndsWith("_") || text.Contains("__", StringComparison.Ordinal))
            {
                Error(token.Span, "invalid decimal literal");
            }

            text = text.ToString().Replace("_", string.Empty, StringComparison.Ordinal).AsSpan();
        }

        char last = text[^1];
        if (last is 'j' or 'J')
        {
            double imaginary = ParseDouble(text[..^1], token);
            return new ConstantExpr(token.Span, ConstantValue.FromComplex(new Complex(0, imaginary)), false);
        }

        if (last is 'l' or 'L')
        {
            text = text[..^1];
        }

        if (text.Length > 1 && text[0] == '0' && char.IsAsciiLetter(text[1]))
        {
            int radix = (text[1] | 0x20) switch { 'x' => 16, 'o' => 8, _ => 2 };
            return new ConstantExpr(token.Span, ConstantValue.FromInteger(ParseRadix(text[2..], radix, token)), false);
        }

        if (text.ContainsAny('.', 'e', 'E'))
        {
            return new ConstantExpr(token.Span, ConstantValue.FromFloat(ParseDouble(text, token)), false);
        }

        if (text.Length > 1 && text[0] == '0' && text.ContainsAnyExcept('0'))
        {
            // Python 2 octal literal (already flagged by the lexer).
            return new ConstantExpr(token.Span, ConstantValue.FromInteger(ParseRadix(text[1..], 8, token)), false);
        }

        if (text.Length <= 18)
        {
            long small = 0;
            foreach (char c in text)
            {
                small = small * 10 + (c - '0');
            }

            return new ConstantExpr(token.Span, ConstantValue.FromInteger(small), false);
        }

        return new ConstantExpr(token.Span, ConstantValue.FromInteger(BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)), false);
    }

    private BigInteger ParseRadix(ReadOnlySpan<char> digits, int radix, Token token)
    {
        if (digits.IsEmpty)
        {
            Error(token.Span, "invalid number literal");
            return BigInteger.Zero;
        }

        BigInteger value = BigInteger.Zero;
        long chunk = 0;
        int chunkDigits = 0;
        foreach (char c in digits)
        {
            int digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? HexValue(c) : 99;
            if (digit >= radix)
            {
                Error(token.Span, $"invalid digit '{c}' in number literal");
                return value;
            }

            chunk = chunk * radix + digit;
            if (++chunkDigits == 12)
            {
                value = value * BigInteger.Pow(radix, 12) + chunk;
                chunk = 0;
                chunkDigits = 0;
            }
        }

        return chunkDigits == 0 ? value : value * BigInteger.Pow(radix, chunkDigits) + chunk;
    }

    private double ParseDouble(ReadOnlySpan<char> text, Token token)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return value;
        }

        Error(token.Span, "invalid number literal");
        return 0;
    }
}
