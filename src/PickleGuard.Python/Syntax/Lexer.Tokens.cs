using System.Globalization;

namespace PickleGuard.Python;

internal sealed partial class Lexer
{
    /// <summary>1 for the ASCII chars that continue an identifier (letters, digits, '_'), by char: one load and one
    /// compare per char of a name instead of three range tests.</summary>
    private static ReadOnlySpan<byte> AsciiIdentifierPart =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0x00-0x0F
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 0x10-0x1F
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // ' ' to '/'
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, // '0' to '9', ':' to '?'
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // '@', 'A' to 'O'
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, // 'P' to 'Z', '[' to '^', '_'
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // '`', 'a' to 'o'
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, // 'p' to 'z', '{' to DEL
    ];

    private void LexToken(char c)
    {
        if (char.IsAsciiLetter(c) || c == '_' || (c >= 0x80 && IdentifierCharAt(_pos, start: true) > 0))
        {
            LexNameOrString();
            return;
        }

        if (char.IsAsciiDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1])))
        {
            LexNumber();
            return;
        }

        if (c == '"' || c == '\'')
        {
            LexString(_pos, _pos, StringPrefix.None);
            return;
        }

        LexOperator(c);
    }

    private static bool IsIdentifierStart(char c) => IsIdentifierStartCategory(CharUnicodeInfo.GetUnicodeCategory(c)) || c == '_';

    private static bool IsIdentifierStartCategory(UnicodeCategory category) =>
        category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;

    private static bool IsIdentifierPartCategory(UnicodeCategory category) =>
        IsIdentifierStartCategory(category) || category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    private static bool IsIdentifierPart(char c) =>
        c < 0x80 ? char.IsAsciiLetterOrDigit(c) || c == '_' : IsIdentifierPartCategory(CharUnicodeInfo.GetUnicodeCategory(c)) || c == '\u00B7';

    /// <summary>Width (1 or 2 chars) of the identifier character at <paramref name="i"/>, or 0 if there is
    /// none; characters outside the BMP are judged by their code point, not their surrogates.</summary>
    private int IdentifierCharAt(int i, bool start)
    {
        char c = _text[i];
        if (c < 0x80)
        {
            return char.IsAsciiLetter(c) || c == '_' || (!start && char.IsAsciiDigit(c)) ? 1 : 0;
        }

        if (char.IsHighSurrogate(c) && i + 1 < _text.Length && char.IsLowSurrogate(_text[i + 1]))
        {
            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, _text[i + 1]));
            return (start ? IsIdentifierStartCategory(category) : IsIdentifierPartCategory(category)) ? 2 : 0;
        }

        return (start ? IsIdentifierStart(c) : IsIdentifierPart(c)) ? 1 : 0;
    }

    private void LexNameOrString()
    {
        int start = _pos;
        int i = _pos;
        string text = _text;
        ReadOnlySpan<byte> asciiIdentifierPart = AsciiIdentifierPart;
        while (i < text.Length)
        {
            // ASCII by a table look-up (nearly every identifier char); the Unicode categories only past 0x7F.
            char c = text[i];
            if (c < 0x80)
            {
                if (asciiIdentifierPart[c] == 0)
                {
                    break;
                }

                i++;
                continue;
            }

            int width = IdentifierCharAt(i, start: false);
            if (width == 0)
            {
                break;
            }

            i += width;
        }

        if (i < _text.Length && (_text[i] == '"' || _text[i] == '\'') && i - start <= 2)
        {
            StringPrefix prefix = ParsePrefix(_text.AsSpan(start, i - start));
            if (prefix != StringPrefix.Invalid)
            {
                LexString(start, i, prefix);
                return;
            }
        }

        _pos = i;
        Add(Keywords.Lookup(_text.AsSpan(start, i - start)), start, i - start);
    }

    private static StringPrefix ParsePrefix(ReadOnlySpan<char> prefix)
    {
        StringPrefix result = StringPrefix.None;
        foreach (char c in prefix)
        {
            StringPrefix flag = char.ToLowerInvariant(c) switch
            {
                'r' => StringPrefix.Raw,
                'b' => StringPrefix.Bytes,
                'u' => StringPrefix.Unicode,
                'f' => StringPrefix.Format,
                't' => StringPrefix.Template,
                _ => StringPrefix.Invalid,
            };
            if (flag == StringPrefix.Invalid || (result & flag) != 0)
            {
                return StringPrefix.Invalid;
            }

            result |= flag;
        }

        int kinds = ((result & StringPrefix.Bytes) != 0 ? 1 : 0) + ((result & StringPrefix.Format) != 0 ? 1 : 0)
            + ((result & StringPrefix.Template) != 0 ? 1 : 0) + ((result & StringPrefix.Unicode) != 0 ? 1 : 0);
        if (kinds > 1 && result != (StringPrefix.Unicode | StringPrefix.Raw))
        {
            return StringPrefix.Invalid;
        }

        return result;
    }

    private void LexOperator(char c)
    {
        char n1 = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        char n2 = _pos + 2 < _text.Length ? _text[_pos + 2] : '\0';
        switch (c)
        {
            case '(':
                OpenBracket(TokenKind.LeftParen);
                return;
            case '[':
                OpenBracket(TokenKind.LeftBracket);
                return;
            case '{':
                OpenBracket(TokenKind.LeftBrace);
                return;
            case ')':
                CloseBracket(TokenKind.RightParen);
                return;
            case ']':
                CloseBracket(TokenKind.RightBracket);
                return;
            case '}':
                CloseBracket(TokenKind.RightBrace);
                return;
            case ':':
                if (n1 == '=' && !AtFieldTopLevel())
                {
                    Op(TokenKind.ColonEqual, 2);
                }
                else
                {
                    bool startsSpec = AtFieldTopLevel();
                    Op(TokenKind.Colon, 1);
                    if (startsSpec)
                    {
                        _modes.Add(new LexMode { Kind = LexModeKind.Spec, Start = _pos });
                    }
                }

                return;
            case ',':
                Op(TokenKind.Comma, 1);
                return;
            case ';':
                Op(TokenKind.Semicolon, 1);
                return;
            case '~':
                Op(TokenKind.Tilde, 1);
                return;
            case '`':
                Op(TokenKind.Backtick, 1);
                return;
            case '.':
                Op(n1 == '.' && n2 == '.' ? TokenKind.Ellipsis : TokenKind.Dot, n1 == '.' && n2 == '.' ? 3 : 1);
                return;
            case '+':
                Op(n1 == '=' ? TokenKind.PlusEqual : TokenKind.Plus, n1 == '=' ? 2 : 1);
                return;
            case '-':
                if (n1 == '>')
                {
                    Op(TokenKind.RightArrow, 2);
                }
                else
                {
                    Op(n1 == '=' ? TokenKind.MinusEqual : TokenKind.Minus, n1 == '=' ? 2 : 1);
                }

                return;
            case '*':
                if (n1 == '*')
                {
                    Op(n2 == '=' ? TokenKind.DoubleStarEqual : TokenKind.DoubleStar, n2 == '=' ? 3 : 2);
                }
                else
                {
                    Op(n1 == '=' ? TokenKind.StarEqual : TokenKind.Star, n1 == '=' ? 2 : 1);
                }

                return;
            case '/':
                if (n1 == '/')
                {
                    Op(n2 == '=' ? TokenKind.DoubleSlashEqual : TokenKind.DoubleSlash, n2 == '=' ? 3 : 2);
                }
                else
                {
                    Op(n1 == '=' ? TokenKind.SlashEqual : TokenKind.Slash, n1 == '=' ? 2 : 1);
                }

                return;
            case '%':
                Op(n1 == '=' ? TokenKind.PercentEqual : TokenKind.Percent, n1 == '=' ? 2 : 1);
                return;
            case '&':
                Op(n1 == '=' ? TokenKind.AmpersandEqual : TokenKind.Ampersand, n1 == '=' ? 2 : 1);
                return;
            case '|':
                Op(n1 == '=' ? TokenKind.VerticalBarEqual : TokenKind.VerticalBar, n1 == '=' ? 2 : 1);
                return;
            case '^':
                Op(n1 == '=' ? TokenKind.CircumflexEqual : TokenKind.CircumFlex, n1 == '=' ? 2 : 1);
                return;
            case '@':
                Op(n1 == '=' ? TokenKind.AtEqual : TokenKind.At, n1 == '=' ? 2 : 1);
                return;
            case '=':
                Op(n1 == '=' ? TokenKind.EqualEqual : TokenKind.Equal, n1 == '=' ? 2 : 1);
                return;
            case '!':
                Op(n1 == '=' ? TokenKind.NotEqual : TokenKind.Exclamation, n1 == '=' ? 2 : 1);
                return;
            case '<':
                if (n1 == '<')
                {
                    Op(n2 == '=' ? TokenKind.LeftShiftEqual : TokenKind.LeftShift, n2 == '=' ? 3 : 2);
                }
                else if (n1 == '>')
                {
                    Op(TokenKind.LessGreater, 2);
                }
                else
                {
                    Op(n1 == '=' ? TokenKind.LessEqual : TokenKind.Less, n1 == '=' ? 2 : 1);
                }

                return;
            case '>':
                if (n1 == '>')
                {
                    Op(n2 == '=' ? TokenKind.RightShiftEqual : TokenKind.RightShift, n2 == '=' ? 3 : 2);
                }
                else
                {
                    Op(n1 == '=' ? TokenKind.GreaterEqual : TokenKind.Greater, n1 == '=' ? 2 : 1);
                }

                return;
            default:
                LexInvalidCharacter(c);
                return;
        }
    }

    // Apart from LexOperator: its messages' string builders would make every operator's call zero their stack space.
    private void LexInvalidCharacter(char c)
    {
        bool pair = char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]);
        int length = pair ? 2 : 1;
        int codePoint = pair ? char.ConvertToUtf32(c, _text[_pos + 1]) : c;
        _diagnostics.Add(new TextSpan(_pos, length), c < 0x20 || c == 0x7f
            ? $"invalid non-printable character U+{codePoint:X4}"
            : $"invalid character '{_text.Substring(_pos, length)}' (U+{codePoint:X4})");
        Add(TokenKind.Error, _pos, length);
        _pos += length;
    }

    private bool AtFieldTopLevel() => _modes.Count > 0 && _modes[^1].Kind == LexModeKind.Field && _modes[^1].BracketDepth == 0;

    private void Op(TokenKind kind, int length)
    {
        Add(kind, _pos, length);
        _pos += length;
    }
}
