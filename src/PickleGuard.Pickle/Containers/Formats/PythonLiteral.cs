using System.Globalization;
using System.Text;

namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// Reads the Python literals <c>ast.literal_eval</c> accepts in a <c>.npy</c> header, as NumPy reads them: strings
/// (prefixes, escapes, implicit concatenation), ints, <c>True</c>/<c>False</c>/<c>None</c>, tuples, lists and dicts
/// (a repeated key keeps its last value), comments and line continuations. Nothing is evaluated. Values are
/// <see cref="string"/>, <see cref="long"/> (or a <see cref="LiteralBigInt"/>), <see cref="bool"/>, null (None),
/// <see cref="LiteralTuple"/>, <see cref="LiteralList"/> and <see cref="LiteralDict"/>. Anything else fails the parse:
/// a header NumPy would read differently must never be read as harmless.
/// </summary>
internal sealed class PythonLiteral
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _pos;

    private PythonLiteral(string text) => _text = text;

    /// <summary>Parses the whole text as one literal; null with a reason when it is not one.</summary>
    public static object? Parse(string text, out string? error)
    {
        var parser = new PythonLiteral(text);
        try
        {
            var value = parser.Value(0);
            parser.SkipSpace();
            if (parser._pos != text.Length)
            {
                throw new FormatException($"unexpected '{text[parser._pos]}' at {parser._pos}");
            }

            error = null;
            return value;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
    }

    private object? Value(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException("nested too deeply");
        }

        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw new FormatException("unexpected end");
        }

        char c = _text[_pos];
        switch (c)
        {
            case '{':
                return Dict(depth);
            case '[':
                _pos++;
                return new LiteralList(Items(']', depth, out _));
            case '(':
            {
                _pos++;
                var items = Items(')', depth, out bool trailingComma);
                // (x) is x; (x,) and (x, y) are tuples.
                return items.Count == 1 && !trailingComma ? items[0] : new LiteralTuple(items);
            }

            case '-' or '+':
            {
                _pos++;
                var operand = Value(depth + 1);
                return operand switch
                {
                    long n when c == '-' => n == long.MinValue ? new LiteralBigInt("9223372036854775808") : -n,
                    long n => n,
                    LiteralBigInt big => c == '-' ? new LiteralBigInt(big.Digits.StartsWith('-') ? big.Digits[1..] : "-" + big.Digits) : big,
                    _ => throw new FormatException("a sign before a non-number"),
                };
            }
        }

        if (char.IsAsciiDigit(c))
        {
            return Number();
        }

        return StringOrName();
    }

    private LiteralDict Dict(int depth)
    {
        _pos++;
        var dict = new LiteralDict();
        while (true)
        {
            SkipSpace();
            if (Eat('}'))
            {
                return dict;
            }

            var key = Value(depth + 1);
            SkipSpace();
            if (!Eat(':'))
            {
                throw new FormatException("expected ':' in a dict");
            }

            dict.Set(key, Value(depth + 1));
            SkipSpace();
            if (Eat('}'))
            {
                return dict;
            }

            if (!Eat(','))
            {
                throw new FormatException("expected ',' in a dict");
            }
        }
    }

    private List<object?> Items(char close, int depth, out bool trailingComma)
    {
        var items = new List<object?>();
        trailingComma = false;
        while (true)
        {
            SkipSpace();
            if (Eat(close))
            {
                return items;
            }

            items.Add(Value(depth + 1));
            SkipSpace();
            trailingComma = false;
            if (Eat(close))
            {
                return items;
            }

            if (!Eat(','))
            {
                throw new FormatException($"expected ',' or '{close}'");
            }

            trailingComma = true;
        }
    }

    private object Number()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '.'))
        {
            _pos++;
        }

        var token = _text[start.._pos].Replace("_", "", StringComparison.Ordinal);
        // NumPy filters Python 2 long suffixes (1L) from version 1/2 headers before evaluating them.
        if (token.Length > 1 && token[^1] is 'L' or 'l')
        {
            token = token[..^1];
        }

        int radix = token.Length > 2 && token[0] == '0' ? char.ToLowerInvariant(token[1]) switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 10 } : 10;
        var digits = radix == 10 ? token : token[2..];
        if (digits.Length == 0 || (radix == 10 && digits.Length > 1 && digits[0] == '0' && digits.Any(d => d != '0')))
        {
            throw new FormatException($"not an int literal: {token}");
        }

        System.Numerics.BigInteger value = 0;
        foreach (char d in digits)
        {
            int v = char.IsAsciiDigit(d) ? d - '0' : char.IsAsciiLetter(d) ? char.ToLowerInvariant(d) - 'a' + 10 : 99;
            if (v >= radix)
            {
                throw new FormatException($"not an int literal: {token}");
            }

            value = (value * radix) + v;
        }

        return value <= long.MaxValue ? (long)value : new LiteralBigInt(value.ToString(CultureInfo.InvariantCulture));
    }

    private object? StringOrName()
    {
        int start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        var word = _text[start.._pos];
        if (_pos < _text.Length && _text[_pos] is '\'' or '"')
        {
            _pos = start;
            return Strings();
        }

        return word switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ => throw new FormatException($"'{(word.Length > 0 ? word : _text[_pos].ToString())}' is not a literal"),
        };
    }

    /// <summary>One or more adjacent string literals, concatenated (bytes and str must not mix).</summary>
    private object Strings()
    {
        var text = new StringBuilder();
        bool? isBytes = null;
        while (true)
        {
            int start = _pos;
            while (_pos < _text.Length && char.IsAsciiLetter(_text[_pos]))
            {
                _pos++;
            }

            var prefix = _text[start.._pos].ToLowerInvariant();
            if (_pos >= _text.Length || _text[_pos] is not ('\'' or '"') || prefix is not ("" or "u" or "r" or "b" or "br" or "rb"))
            {
                throw new FormatException($"bad string prefix '{prefix}'");
            }

            bool bytes = prefix.Contains('b');
            if (isBytes is { } known && known != bytes)
            {
                throw new FormatException("cannot mix bytes and str literals");
            }

            isBytes = bytes;
            OneString(text, raw: prefix.Contains('r'), bytes);
            int save = _pos;
            SkipSpace();
            if (_pos < _text.Length && (_text[_pos] is '\'' or '"' || (char.IsAsciiLetter(_text[_pos]) && LooksLikePrefixedString())))
            {
                continue;
            }

            _pos = save;
            // Bytes are kept apart from str: NumPy's dtype() does not take bytes where a str is expected.
            return bytes ? new LiteralBytes(text.ToString()) : text.ToString();
        }
    }

    private bool LooksLikePrefixedString()
    {
        int i = _pos;
        while (i < _text.Length && char.IsAsciiLetter(_text[i]))
        {
            i++;
        }

        return i < _text.Length && _text[i] is '\'' or '"';
    }

    private void OneString(StringBuilder text, bool raw, bool bytes)
    {
        char quote = _text[_pos];
        bool triple = _pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote;
        _pos += triple ? 3 : 1;
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new FormatException("unterminated string");
            }

            char c = _text[_pos];
            if (c == quote && (!triple || (_pos + 2 < _text.Length && _text[_pos + 1] == quote && _text[_pos + 2] == quote)))
            {
                _pos += triple ? 3 : 1;
                return;
            }

            if (c == '\n' && !triple)
            {
                throw new FormatException("newline in a string");
            }

            if (c != '\\')
            {
                text.Append(c);
                _pos++;
                continue;
            }

            if (_pos + 1 >= _text.Length)
            {
                throw new FormatException("unterminated string");
            }

            if (raw)
            {
                // A raw string keeps the backslash; the escaped character (even a quote) does not end the string.
                text.Append(c).Append(_text[_pos + 1]);
                _pos += 2;
                continue;
            }

            _pos++;
            Escape(text, bytes);
        }
    }

    private void Escape(StringBuilder text, bool bytes)
    {
        char e = _text[_pos++];
        switch (e)
        {
            case '\n': return;
            case '\\' or '\'' or '"': text.Append(e); return;
            case 'a': text.Append('\a'); return;
            case 'b': text.Append('\b'); return;
            case 'f': text.Append('\f'); return;
            case 'n': text.Append('\n'); return;
            case 'r': text.Append('\r'); return;
            case 't': text.Append('\t'); return;
            case 'v': text.Append('\v'); return;
            case >= '0' and <= '7':
            {
                int value = e - '0';
                for (int n = 1; n < 3 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; n++)
                {
                    value = (value * 8) + (_text[_pos++] - '0');
                }

                text.Append((char)value);
                return;
            }

            case 'x':
                text.Append((char)Hex(2));
                return;
            case 'u' when !bytes:
                text.Append((char)Hex(4));
                return;
            case 'U' when !bytes:
                int code = Hex(8);
                if (code > 0x10FFFF)
                {
                    throw new FormatException("\\U escape out of range");
                }

                text.Append(char.ConvertFromUtf32(code));
                return;
            case 'N' when !bytes:
                // \N{NAME} needs the Unicode name table; a header that uses it is not read as harmless.
                throw new FormatException("\\N{...} escapes are not supported");
            default:
                // An unknown escape keeps its backslash (with a DeprecationWarning in Python).
                text.Append('\\').Append(e);
                return;
        }
    }

    private int Hex(int count)
    {
        if (_pos + count > _text.Length || !int.TryParse(_text.AsSpan(_pos, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value)
            || _text.AsSpan(_pos, count).ContainsAny('+', '-'))
        {
            throw new FormatException("truncated escape");
        }

        _pos += count;
        return value;
    }

    /// <summary>Whitespace, comments and backslash-newline continuations (inside a header they are all insignificant).</summary>
    private void SkipSpace()
    {
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                _pos++;
            }
            else if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] is '\n' or '\r')
            {
                _pos += 2;
            }
            else
            {
                return;
            }
        }
    }

    private bool Eat(char c)
    {
        if (_pos < _text.Length && _text[_pos] == c)
        {
            _pos++;
            return true;
        }

        return false;
    }
}
