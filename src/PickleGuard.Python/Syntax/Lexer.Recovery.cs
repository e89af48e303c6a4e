namespace PickleGuard.Python;

internal sealed partial class Lexer
{
    /// <summary>A replacement field of a single-quoted f-string may span lines, but when the next line
    /// starts a statement the string was surely never closed: end it here so the rest still parses.</summary>
    private bool AbandonUnterminatedFString(int newlineLength)
    {
        int body = _modes.Count - 1;
        while (body >= 0 && _modes[body].Kind != LexModeKind.StringBody)
        {
            body--;
        }

        if (body < 0 || _modes[body].Triple || !NextLineStartsStatement())
        {
            return false;
        }

        _diagnostics.Add(new TextSpan(_modes[body].Start, 1), "unterminated f-string literal");
        while (_modes.Count > 0)
        {
            bool wasBody = _modes[^1].Kind == LexModeKind.StringBody;
            _modes.RemoveAt(_modes.Count - 1);
            if (wasBody)
            {
                Add(TokenKind.FStringEnd, _pos - newlineLength, 0);
            }
        }

        _bracketDepth = 0;
        Add(TokenKind.Newline, _pos - newlineLength, newlineLength);
        return true;
    }

    private bool NextLineStartsStatement()
    {
        int i = _pos;
        while (i < _text.Length && (_text[i] == ' ' || _text[i] == '\t' || _text[i] == '\f'))
        {
            i++;
        }

        int start = i;
        while (i < _text.Length && char.IsAsciiLetter(_text[i]))
        {
            i++;
        }

        if (i < _text.Length && (char.IsAsciiLetterOrDigit(_text[i]) || _text[i] == '_'))
        {
            return false;
        }

        return _text.AsSpan(start, i - start) switch
        {
            "def" or "class" or "import" or "return" or "pass" or "raise" or "global" or "nonlocal"
                or "while" or "try" or "except" or "finally" or "elif" or "del" or "assert" or "break" or "continue" => true,
            _ => false,
        };
    }
}
