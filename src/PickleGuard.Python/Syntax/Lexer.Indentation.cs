namespace PickleGuard.Python;

internal sealed partial class Lexer
{
    /// <summary>Measures the indentation of a new logical line, skipping blank and comment-only lines, and
    /// emits INDENT/DEDENT. Returns false at end of input.</summary>
    private bool LexIndentation()
    {
        while (true)
        {
            int column = 0;
            int altColumn = 0;
            int start = _pos;
            string text = _text;
            int pos = start;
            while (true)
            {
                // Indentation is nearly always spaces alone: a run of them in one vectorized search.
                int spaces = text.AsSpan(pos).IndexOfAnyExcept(' ');
                spaces = spaces < 0 ? text.Length - pos : spaces;
                pos += spaces;
                column += spaces;
                altColumn += spaces;
                if (pos >= text.Length)
                {
                    break;
                }

                char c = text[pos];
                if (c == '\t')
                {
                    column = (column / 8 + 1) * 8;
                    altColumn++;
                }
                else if (c == '\f')
                {
                    column = 0;
                    altColumn = 0;
                }
                else
                {
                    break;
                }

                pos++;
            }

            _pos = pos;

            if (_pos >= _text.Length)
            {
                return false;
            }

            char first = _text[_pos];
            if (first == '#')
            {
                SkipComment();
                if (_pos >= _text.Length)
                {
                    return false;
                }
            }

            first = _text[_pos];
            if (first == '\n' || first == '\r')
            {
                _pos += NewlineLength(_pos);
                continue;
            }

            if (first == '\\' && _pos + 1 < _text.Length && (_text[_pos + 1] == '\n' || _text[_pos + 1] == '\r'))
            {
                // A continuation right after the indentation: the indentation still counts.
                _pos += 1 + NewlineLength(_pos + 1);
                SkipSpaces();
                if (_pos >= _text.Length)
                {
                    _diagnostics.Add(new TextSpan(_text.Length - 1, 1), "unexpected EOF while parsing");
                    return false;
                }
            }

            ApplyIndentation(start, column, altColumn);
            return true;
        }
    }

    private void ApplyIndentation(int lineStart, int column, int altColumn)
    {
        int current = _indents[^1];
        if (column == current)
        {
            if (altColumn != _altIndents[^1])
            {
                _diagnostics.Add(new TextSpan(lineStart, _pos - lineStart), "inconsistent use of tabs and spaces in indentation");
            }

            return;
        }

        if (column > current)
        {
            if (altColumn <= _altIndents[^1])
            {
                _diagnostics.Add(new TextSpan(lineStart, _pos - lineStart), "inconsistent use of tabs and spaces in indentation");
            }

            if (_indents.Count > MaxIndentLevels && !_reportedIndentDepth)
            {
                _reportedIndentDepth = true;
                _diagnostics.Add(new TextSpan(lineStart, _pos - lineStart), "too many levels of indentation");
            }

            _indents.Add(column);
            _altIndents.Add(altColumn);
            Add(TokenKind.Indent, lineStart, _pos - lineStart);
            return;
        }

        while (_indents.Count > 1 && column < _indents[^1])
        {
            _indents.RemoveAt(_indents.Count - 1);
            _altIndents.RemoveAt(_altIndents.Count - 1);
            Add(TokenKind.Dedent, _pos, 0);
        }

        if (column != _indents[^1])
        {
            _diagnostics.Add(new TextSpan(lineStart, _pos - lineStart), "unindent does not match any outer indentation level");
        }
        else if (altColumn != _altIndents[^1])
        {
            _diagnostics.Add(new TextSpan(lineStart, _pos - lineStart), "inconsistent use of tabs and spaces in indentation");
        }
    }
}
