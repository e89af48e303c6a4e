using System.Buffers;

namespace PickleGuard.Python;

internal sealed partial class Lexer
{
    private static readonly SearchValues<char> DoubleQuotedLineStops = SearchValues.Create("\"\\\n\r");
    private static readonly SearchValues<char> SingleQuotedLineStops = SearchValues.Create("'\\\n\r");

    private void LexNumber()
    {
        int start = _pos;
        int i = _pos;
        char c = _text[i];
        char next = i + 1 < _text.Length ? char.ToLowerInvariant(_text[i + 1]) : '\0';
        if (c == '0' && (next == 'x' || next == 'o' || next == 'b'))
        {
            i += 2;
            while (i < _text.Length && (char.IsAsciiHexDigit(_text[i]) || _text[i] == '_'))
            {
                i++;
            }

            i = LongSuffix(start, i);
            FinishNumber(start, i);
            return;
        }

        bool isFloat = false;
        i = Digits(i);
        if (i < _text.Length && _text[i] == '.')
        {
            isFloat = true;
            i = Digits(i + 1);
        }

        if (i < _text.Length && (_text[i] == 'e' || _text[i] == 'E'))
        {
            int j = i + 1;
            if (j < _text.Length && (_text[j] == '+' || _text[j] == '-'))
            {
                j++;
            }

            if (j < _text.Length && char.IsAsciiDigit(_text[j]))
            {
                isFloat = true;
                i = Digits(j);
            }
        }

        if (i < _text.Length && (_text[i] == 'j' || _text[i] == 'J'))
        {
            i++;
        }
        else if (!isFloat)
        {
            if (_text[start] == '0' && i - start > 1 && _text.AsSpan(start, i - start).ContainsAnyExcept('0', '_'))
            {
                _diagnostics.AddPython2(new TextSpan(start, i - start), "leading zeros in decimal integer literals are not permitted (Python 2 octal literal)");
            }

            i = LongSuffix(start, i);
        }

        FinishNumber(start, i);
    }

    private int Digits(int i)
    {
        while (i < _text.Length && (char.IsAsciiDigit(_text[i]) || _text[i] == '_'))
        {
            i++;
        }

        return i;
    }

    private int LongSuffix(int start, int i)
    {
        if (i < _text.Length && (_text[i] == 'l' || _text[i] == 'L') && (i + 1 >= _text.Length || !IsIdentifierPart(_text[i + 1])))
        {
            _diagnostics.AddPython2(new TextSpan(start, i + 1 - start), "long integer suffix 'L' is Python 2 only");
            return i + 1;
        }

        return i;
    }

    private void FinishNumber(int start, int end)
    {
        _pos = end;
        Add(TokenKind.Number, start, end - start);
        if (end < _text.Length && IsIdentifierPart(_text[end]) && !StartsKeywordAfterNumber(end))
        {
            _diagnostics.Add(new TextSpan(start, end + 1 - start), "invalid decimal literal");
        }
    }

    /// <summary>CPython still accepts <c>1if x else y</c> and <c>0x1for</c> (with a warning).</summary>
    private bool StartsKeywordAfterNumber(int at)
    {
        ReadOnlySpan<char> rest = _text.AsSpan(at);
        return rest.StartsWith("and") || rest.StartsWith("or") || rest.StartsWith("if") || rest.StartsWith("else")
            || rest.StartsWith("in") || rest.StartsWith("is") || rest.StartsWith("not") || rest.StartsWith("for");
    }

    /// <summary>Lexes a string starting at <paramref name="start"/> (its prefix) whose first quote is at
    /// <paramref name="quoteAt"/>. f- and t-strings enter the string-body mode instead.</summary>
    private void LexString(int start, int quoteAt, StringPrefix prefix)
    {
        char quote = _text[quoteAt];
        bool triple = quoteAt + 2 < _text.Length && _text[quoteAt + 1] == quote && _text[quoteAt + 2] == quote;
        int quoteLength = triple ? 3 : 1;
        if (prefix == (StringPrefix.Unicode | StringPrefix.Raw))
        {
            _diagnostics.AddPython2(new TextSpan(start, quoteAt - start), "string prefix 'ur' is Python 2 only");
        }

        if ((prefix & (StringPrefix.Format | StringPrefix.Template)) != 0)
        {
            Add(TokenKind.FStringStart, start, quoteAt + quoteLength - start);
            _modes.Add(new LexMode
            {
                Kind = LexModeKind.StringBody,
                Quote = quote,
                Triple = triple,
                Raw = (prefix & StringPrefix.Raw) != 0,
                Start = start,
            });
            _pos = quoteAt + quoteLength;
            return;
        }

        int i = quoteAt + quoteLength;
        while (true)
        {
            // Every other char is plain string content: jump to the next one the loop acts on.
            int skip = i < _text.Length ? NextStringStop(_text.AsSpan(i), quote, triple) : -1;
            if (skip < 0)
            {
                i = _text.Length;
                _diagnostics.Add(new TextSpan(start, 1), triple ? "unterminated triple-quoted string literal" : "unterminated string literal");
                break;
            }

            i += skip;
            char c = _text[i];
            if (c == '\\')
            {
                i = i + 1 < _text.Length ? i + 1 + (_text[i + 1] == '\r' ? NewlineLength(i + 1) : 1) : i + 1;
                continue;
            }

            if (c == quote && (!triple || (i + 2 < _text.Length && _text[i + 1] == quote && _text[i + 2] == quote)))
            {
                i += quoteLength;
                break;
            }

            if (!triple && (c == '\n' || c == '\r'))
            {
                _diagnostics.Add(new TextSpan(start, 1), "unterminated string literal");
                break;
            }

            i++;
        }

        Add(TokenKind.String, start, i - start);
        _pos = i;
    }

    /// <summary>Offset of the first char in <paramref name="rest"/> that a plain string's loop acts on: its quote, a
    /// backslash, or in a one-line string a line break; -1 if none.</summary>
    private static int NextStringStop(ReadOnlySpan<char> rest, char quote, bool triple)
    {
        if (triple)
        {
            return rest.IndexOfAny(quote, '\\');
        }

        return rest.IndexOfAny(quote == '"' ? DoubleQuotedLineStops : SingleQuotedLineStops);
    }

    /// <summary>Lexes the literal text of an f-string (or of a format spec) up to a replacement field,
    /// the end of the spec, or the closing quote.</summary>
    private void LexStringBody()
    {
        LexMode mode = _modes[^1];
        LexMode body = mode;
        for (int m = _modes.Count - 1; m >= 0; m--)
        {
            if (_modes[m].Kind == LexModeKind.StringBody)
            {
                body = _modes[m];
                break;
            }
        }

        bool inSpec = mode.Kind == LexModeKind.Spec;
        int quoteLength = body.Triple ? 3 : 1;
        int start = _pos;
        int i = _pos;
        while (i < _text.Length)
        {
            char c = _text[i];
            char next = i + 1 < _text.Length ? _text[i + 1] : '\0';
            if (c == '\\')
            {
                if (next == '{' || next == '}')
                {
                    i++;
                }
                else if (!body.Raw && next == 'N' && i + 2 < _text.Length && _text[i + 2] == '{')
                {
                    int close = _text.AsSpan(i + 3).IndexOfAny('}', body.Quote);
                    i = close < 0 ? _text.Length : i + 3 + close + (_text[i + 3 + close] == '}' ? 1 : 0);
                }
                else
                {
                    i = next == '\r' ? i + 1 + NewlineLength(i + 1) : Math.Min(i + 2, _text.Length);
                }

                continue;
            }

            if (c == body.Quote && (!body.Triple || (next == body.Quote && i + 2 < _text.Length && _text[i + 2] == body.Quote)))
            {
                AddMiddle(start, i);
                if (inSpec)
                {
                    _diagnostics.Add(new TextSpan(i, 1), "f-string: expecting '}'");
                    PopToStringBody();
                }

                _modes.RemoveAt(_modes.Count - 1);
                Add(TokenKind.FStringEnd, i, quoteLength);
                _pos = i + quoteLength;
                return;
            }

            if (!body.Triple && (c == '\n' || c == '\r'))
            {
                break;
            }

            if (c == '{')
            {
                if (!inSpec && next == '{')
                {
                    i += 2;
                    continue;
                }

                AddMiddle(start, i);
                _pos = i;
                OpenField();
                return;
            }

            if (c == '}')
            {
                if (!inSpec && next == '}')
                {
                    i += 2;
                    continue;
                }

                if (inSpec)
                {
                    AddMiddle(start, i);
                    _modes.RemoveAt(_modes.Count - 1);
                    _modes.RemoveAt(_modes.Count - 1);
                    Add(TokenKind.RightBrace, i, 1);
                    _pos = i + 1;
                    return;
                }

                _diagnostics.Add(new TextSpan(i, 1), "f-string: single '}' is not allowed");
            }

            i++;
        }

        // Unterminated: end the string here so the rest of the file is still tokenized.
        AddMiddle(start, i);
        _diagnostics.Add(new TextSpan(body.Start, 1), body.Triple ? "unterminated triple-quoted f-string literal" : "unterminated f-string literal");
        PopToStringBody();
        _modes.RemoveAt(_modes.Count - 1);
        Add(TokenKind.FStringEnd, i, 0);
        _pos = i;
    }

    private void OpenField()
    {
        if (_modes.Count > MaxBracketDepth)
        {
            _diagnostics.Add(new TextSpan(_pos, 1), "f-string: expressions nested too deeply");
        }

        Add(TokenKind.LeftBrace, _pos, 1);
        _modes.Add(new LexMode { Kind = LexModeKind.Field, Start = _pos });
        _pos++;
    }

    private void PopToStringBody()
    {
        while (_modes.Count > 0 && _modes[^1].Kind != LexModeKind.StringBody)
        {
            _modes.RemoveAt(_modes.Count - 1);
        }
    }

    private void AddMiddle(int start, int end)
    {
        if (end > start)
        {
            Add(TokenKind.FStringMiddle, start, end - start);
        }
    }
}
