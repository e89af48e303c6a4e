namespace PickleGuard.Python;

/// <summary>Turns source text into a flat token array, with INDENT/DEDENT/NEWLINE as CPython's tokenizer
/// makes them and PEP 701 f-string/t-string tokens. Never throws; problems become diagnostics.</summary>
internal sealed partial class Lexer
{
    /// <summary>CPython's tokenizer limits (MAXINDENT, MAXLEVEL).</summary>
    private const int MaxIndentLevels = 100;
    private const int MaxBracketDepth = 200;

    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private readonly List<int> _indents = new() { 0 };
    private readonly List<int> _altIndents = new() { 0 };
    private readonly List<LexMode> _modes = new();
    /// <summary>
    /// The calling thread's token array, reused from file to file (a parse reads it only while it runs), so that
    /// tokenizing allocates nothing once the array fits the largest file.
    /// </summary>
    [ThreadStatic]
    private static Token[]? _reusedTokens;

    private Token[] _tokens;
    private int _count;
    private int _pos;
    private int _bracketDepth;
    private int _bracketOpenedAt = -1;
    private bool _reportedBracketDepth;
    private bool _reportedIndentDepth;

    private Lexer(string text, DiagnosticBag diagnostics)
    {
        _text = text;
        _diagnostics = diagnostics;
        _tokens = _reusedTokens ??= new Token[4096];
    }

    /// <summary>Tokenizes the whole text. The array may be longer than <paramref name="count"/>, and it is the
    /// calling thread's: its next call overwrites it.</summary>
    public static Token[] Tokenize(string text, DiagnosticBag diagnostics, out int count)
    {
        var lexer = new Lexer(text, diagnostics);
        lexer.Run();
        count = lexer._count;
        return lexer._tokens;
    }

    private bool InCode => _modes.Count == 0 || _modes[^1].Kind == LexModeKind.Field;

    private void Run()
    {
        int nul = _text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            _diagnostics.Add(new TextSpan(nul, 1), "source code cannot contain null bytes");
        }

        bool atLineStart = true;
        while (true)
        {
            if (!InCode)
            {
                LexStringBody();
                continue;
            }

            if (atLineStart)
            {
                atLineStart = false;
                if (!LexIndentation())
                {
                    break;
                }
            }

            SkipSpaces();
            if (_pos >= _text.Length)
            {
                break;
            }

            char c = _text[_pos];
            if (c == '\n' || c == '\r')
            {
                atLineStart = LexNewline();
                continue;
            }

            if (c == '#')
            {
                SkipComment();
                continue;
            }

            if (c == '\\')
            {
                LexContinuation();
                continue;
            }

            LexToken(c);
        }

        Finish();
    }

    private void Finish()
    {
        while (_modes.Count > 0)
        {
            LexMode mode = _modes[^1];
            _modes.RemoveAt(_modes.Count - 1);
            if (mode.Kind == LexModeKind.StringBody)
            {
                _diagnostics.Add(new TextSpan(mode.Start, 1), mode.Triple ? "unterminated triple-quoted f-string literal" : "unterminated f-string literal");
                Add(TokenKind.FStringEnd, _text.Length, 0);
            }
        }

        if (_bracketDepth > 0)
        {
            _diagnostics.Add(new TextSpan(Math.Max(0, _bracketOpenedAt), 1), $"'{BracketChar()}' was never closed");
            _bracketDepth = 0;
        }

        if (_count > 0 && _tokens[_count - 1].Kind is not (TokenKind.Newline or TokenKind.Dedent or TokenKind.Indent))
        {
            Add(TokenKind.Newline, _text.Length, 0);
        }

        for (int i = _indents.Count - 1; i > 0; i--)
        {
            Add(TokenKind.Dedent, _text.Length, 0);
        }

        Add(TokenKind.EndOfFile, _text.Length, 0);
    }

    private string BracketChar() => _bracketOpenedAt >= 0 && _bracketOpenedAt < _text.Length ? _text[_bracketOpenedAt].ToString() : "(";

    private void Add(TokenKind kind, int start, int length)
    {
        if (_count == _tokens.Length)
        {
            Array.Resize(ref _tokens, _tokens.Length * 2);
            _reusedTokens = _tokens;
        }

        _tokens[_count++] = new Token(kind, start, length);
    }

    private void SkipSpaces()
    {
        // In locals: a field written on every step is a store to memory, and this runs before every token.
        string text = _text;
        int pos = _pos;
        while (pos < text.Length)
        {
            char c = text[pos];
            // Most tokens are followed by a char above ' ' (a name, an operator, a bracket): one compare for them.
            if (c > ' ')
            {
                break;
            }

            // A NUL is reported once for the whole source in Run; skipped like whitespace here.
            if (c != ' ' && c != '\t' && c != '\f' && c != '\0')
            {
                break;
            }

            pos++;
        }

        _pos = pos;
    }

    private void SkipComment()
    {
        int end = _text.AsSpan(_pos).IndexOfAny('\n', '\r');
        _pos = end < 0 ? _text.Length : _pos + end;
    }

    private int NewlineLength(int at) =>
        _text[at] == '\r' && at + 1 < _text.Length && _text[at + 1] == '\n' ? 2 : 1;

    /// <summary>Handles a line break; returns true when the next line starts a new logical line.</summary>
    private bool LexNewline()
    {
        int length = NewlineLength(_pos);
        if (_modes.Count > 0)
        {
            _pos += length;
            return AbandonUnterminatedFString(length);
        }

        if (_bracketDepth > 0)
        {
            _pos += length;
            if (!NextLineStartsStatement())
            {
                return false;
            }

            // An unclosed bracket would swallow the rest of the file; a line starting with a
            // statement-only keyword shows the bracket was never closed, so resynchronize here.
            _diagnostics.Add(new TextSpan(Math.Max(0, _bracketOpenedAt), 1), $"'{BracketChar()}' was never closed");
            _bracketDepth = 0;
            Add(TokenKind.Newline, _pos - length, length);
            return true;
        }

        if (_count > 0 && _tokens[_count - 1].Kind != TokenKind.Newline)
        {
            Add(TokenKind.Newline, _pos, length);
        }

        _pos += length;
        return true;
    }

    private void LexContinuation()
    {
        int next = _pos + 1;
        if (next < _text.Length && (_text[next] == '\n' || _text[next] == '\r'))
        {
            _pos = next + NewlineLength(next);
            if (_pos >= _text.Length)
            {
                _diagnostics.Add(new TextSpan(next - 1, 1), "unexpected EOF while parsing");
            }

            return;
        }

        if (next >= _text.Length)
        {
            _diagnostics.Add(new TextSpan(_pos, 1), "unexpected EOF while parsing");
            _pos = next;
            return;
        }

        _diagnostics.Add(new TextSpan(_pos, 1), "unexpected character after line continuation character");
        Add(TokenKind.Error, _pos, 1);
        _pos = next;
    }

    private void OpenBracket(TokenKind kind)
    {
        if (_modes.Count > 0 && _modes[^1].Kind == LexModeKind.Field)
        {
            LexMode field = _modes[^1];
            field.BracketDepth++;
            _modes[^1] = field;
        }
        else
        {
            if (_bracketDepth == 0)
            {
                _bracketOpenedAt = _pos;
            }

            _bracketDepth++;
            if (_bracketDepth > MaxBracketDepth && !_reportedBracketDepth)
            {
                _reportedBracketDepth = true;
                _diagnostics.Add(new TextSpan(_pos, 1), "too many nested parentheses");
            }
        }

        Add(kind, _pos, 1);
        _pos++;
    }

    private void CloseBracket(TokenKind kind)
    {
        if (_modes.Count > 0 && _modes[^1].Kind == LexModeKind.Field)
        {
            LexMode field = _modes[^1];
            if (field.BracketDepth == 0 && kind == TokenKind.RightBrace)
            {
                // The '}' that ends a replacement field.
                _modes.RemoveAt(_modes.Count - 1);
                Add(kind, _pos, 1);
                _pos++;
                return;
            }

            if (field.BracketDepth > 0)
            {
                field.BracketDepth--;
                _modes[^1] = field;
            }
        }
        else if (_bracketDepth > 0)
        {
            _bracketDepth--;
        }
        else
        {
            _diagnostics.Add(new TextSpan(_pos, 1), $"unmatched '{_text[_pos]}'");
        }

        Add(kind, _pos, 1);
        _pos++;
    }
}
