using System.Text;

namespace PickleGuard.Python;

internal sealed partial class Parser
{
    /// <summary>
    /// Collects the constant text between replacement fields of implicitly concatenated strings. Rented from a
    /// per-thread pool and returned once the literal is built: a scan meets tens of thousands of such literals.
    /// </summary>
    private sealed class StringPieces
    {
        private const int MaxPooled = 16;

        /// <summary>Pieces that grew past this many chars, bytes or values are dropped, not kept for the rest of the run.</summary>
        private const int MaxPooledCapacity = 1 << 16;

        [ThreadStatic]
        private static Stack<StringPieces>? _free;

        public readonly StringBuilder Text = new();
        public readonly List<Expr> Values = new();
        public readonly List<byte> Bytes = new();
        public int PendingStart = -1;
        public int PendingEnd;

        public static StringPieces Rent() => _free is { Count: > 0 } free ? free.Pop() : new StringPieces();

        /// <summary>Empties these pieces for the next literal; they must not be used after.</summary>
        public void Return()
        {
            if (Text.Capacity > MaxPooledCapacity || Bytes.Capacity > MaxPooledCapacity || Values.Capacity > MaxPooledCapacity)
            {
                return;
            }

            Text.Clear();
            Values.Clear();
            Bytes.Clear();
            PendingStart = -1;
            _free ??= new Stack<StringPieces>();
            if (_free.Count < MaxPooled)
            {
                _free.Push(this);
            }
        }

        /// <summary>The values collected, as an exact-size array.</summary>
        public IReadOnlyList<Expr> ValuesArray() => Values.Count == 0 ? Array.Empty<Expr>() : Values.ToArray();

        /// <summary>Notes that the text about to be appended comes from <paramref name="start"/>..<paramref name="end"/>.</summary>
        public void Extend(int start, int end)
        {
            if (PendingStart < 0)
            {
                PendingStart = start;
            }

            PendingEnd = end;
        }

        public void Flush()
        {
            if (PendingStart >= 0 && Text.Length > 0)
            {
                Values.Add(new ConstantExpr(TextSpan.FromBounds(PendingStart, PendingEnd), ConstantValue.FromString(Text.ToString()), false));
            }

            Text.Clear();
            PendingStart = -1;
        }
    }

    // strings: (FSTRING | TSTRING | STRING)+  (implicit concatenation)
    private Expr ParseStrings()
    {
        if (Kind == TokenKind.String && Peek(1) is not (TokenKind.String or TokenKind.FStringStart)
            && ParseSingleTextString() is { } single)
        {
            return single;
        }

        StringPieces pieces = StringPieces.Rent();
        Expr result = ParseStrings(pieces);
        pieces.Return();
        return result;
    }

    private Expr ParseStrings(StringPieces pieces)
    {
        int start = Current.Start;
        bool uPrefix = false;
        bool sawBytes = false;
        bool sawText = false;
        bool sawFormat = false;
        bool sawTemplate = false;
        bool sawPlain = false;
        bool first = true;
        while (Kind is TokenKind.String or TokenKind.FStringStart)
        {
            Token token = Current;
            int prefixLength = PrefixLength(token);
            StringPrefix prefix = PrefixOf(token.Start, prefixLength);
            if (first && (prefix & StringPrefix.Unicode) != 0)
            {
                uPrefix = true;
            }

            first = false;
            if (token.Kind == TokenKind.FStringStart)
            {
                bool template = (prefix & StringPrefix.Template) != 0;
                sawTemplate |= template;
                sawFormat |= !template;
                sawText = true;
                ParseFString(pieces, (prefix & StringPrefix.Raw) != 0, template);
                continue;
            }

            Advance();
            sawPlain = true;
            (int bodyStart, int bodyEnd) = StringBody(token, prefixLength);
            bool raw = (prefix & StringPrefix.Raw) != 0;
            if ((prefix & StringPrefix.Bytes) != 0)
            {
                sawBytes = true;
                DecodeBytes(bodyStart, bodyEnd, raw, pieces.Bytes);
            }
            else
            {
                sawText = true;
                _unicodeEscapesMayBePython2Text = (prefix & StringPrefix.Unicode) == 0;
                pieces.Extend(token.Start, token.End);
                AppendDecodedText(pieces.Text, bodyStart, bodyEnd, raw, false);
                _unicodeEscapesMayBePython2Text = false;
            }
        }

        TextSpan span = SpanFrom(start);
        if (sawBytes && sawText)
        {
            Error(span, "cannot mix bytes and nonbytes literals");
        }

        if (sawTemplate && (sawFormat || sawPlain || sawBytes))
        {
            Error(span, "cannot mix t-string literals with string or bytes literals");
        }

        if (!sawFormat && !sawTemplate)
        {
            return sawBytes && !sawText
                ? new ConstantExpr(span, ConstantValue.FromBytes(pieces.Bytes.ToArray()), false)
                : new ConstantExpr(span, ConstantValue.FromString(NotedString(pieces.Text.ToString())), uPrefix);
        }

        pieces.Flush();
        IReadOnlyList<Expr> values = pieces.ValuesArray();
        return sawTemplate ? new TemplateStrExpr(span, values) : new JoinedStrExpr(span, values);
    }

    /// <summary>The most common literal, one str token and no concatenation, decoded straight into its constant
    /// (no <see cref="StringPieces"/>); null for a bytes token, which takes the general path.</summary>
    private ConstantExpr? ParseSingleTextString()
    {
        Token token = Current;
        int prefixLength = PrefixLength(token);
        StringPrefix prefix = PrefixOf(token.Start, prefixLength);
        if ((prefix & StringPrefix.Bytes) != 0)
        {
            return null;
        }

        Advance();
        (int bodyStart, int bodyEnd) = StringBody(token, prefixLength);
        _unicodeEscapesMayBePython2Text = (prefix & StringPrefix.Unicode) == 0;
        ConstantValue value = DecodeTextConstant(bodyStart, bodyEnd, (prefix & StringPrefix.Raw) != 0);
        _unicodeEscapesMayBePython2Text = false;
        return new ConstantExpr(token.Span, value, (prefix & StringPrefix.Unicode) != 0);
    }

    private int PrefixLength(Token token)
    {
        int i = token.Start;
        while (i < token.End && _text[i] != '\'' && _text[i] != '"')
        {
            i++;
        }

        return i - token.Start;
    }

    private StringPrefix PrefixOf(int start, int length)
    {
        StringPrefix prefix = StringPrefix.None;
        for (int i = start; i < start + length; i++)
        {
            prefix |= char.ToLowerInvariant(_text[i]) switch
            {
                'r' => StringPrefix.Raw,
                'b' => StringPrefix.Bytes,
                'u' => StringPrefix.Unicode,
                'f' => StringPrefix.Format,
                't' => StringPrefix.Template,
                _ => StringPrefix.None,
            };
        }

        return prefix;
    }

    /// <summary>The body of a plain string token, between its quotes (tolerating a missing closing quote).</summary>
    private (int Start, int End) StringBody(Token token, int prefixLength)
    {
        int open = token.Start + prefixLength;
        if (open >= token.End)
        {
            return (token.End, token.End);
        }

        char quote = _text[open];
        bool triple = open + 2 < token.End && _text[open + 1] == quote && _text[open + 2] == quote;
        int quoteLength = triple ? 3 : 1;
        int bodyStart = open + quoteLength;
        int bodyEnd = token.End;
        if (bodyEnd - bodyStart >= quoteLength && IsClosingQuote(bodyEnd - quoteLength, quote, quoteLength))
        {
            bodyEnd -= quoteLength;
        }

        return (bodyStart, Math.Max(bodyStart, bodyEnd));
    }

    private bool IsClosingQuote(int at, char quote, int length)
    {
        for (int i = 0; i < length; i++)
        {
            if (_text[at + i] != quote)
            {
                return false;
            }
        }

        // The quote must not be escaped by an odd run of backslashes.
        int backslashes = 0;
        for (int i = at - 1; i >= 0 && _text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 0;
    }

    // fstring: FSTRING_START fstring_middle* FSTRING_END
    private void ParseFString(StringPieces pieces, bool raw, bool template)
    {
        Advance();
        while (true)
        {
            switch (Kind)
            {
                case TokenKind.FStringMiddle:
                    {
                        Token middle = Advance();
                        pieces.Extend(middle.Start, middle.End);
                        AppendDecodedText(pieces.Text, middle.Start, middle.End, raw, true);
                        continue;
                    }

                case TokenKind.LeftBrace:
                    ParseReplacementField(pieces, raw, template);
                    continue;
                case TokenKind.FStringEnd:
                    Advance();
                    return;
                default:
                    // Tokens left over from a broken field: skip up to the end of this f-string.
                    ErrorAtCurrent("f-string: expecting '}'");
                    while (Kind is not (TokenKind.FStringEnd or TokenKind.EndOfFile or TokenKind.Newline))
                    {
                        Advance();
                    }

                    Eat(TokenKind.FStringEnd);
                    return;
            }
        }
    }

    // fstring_replacement_field: '{' (yield_expr | star_expressions) '='? [fstring_conversion] [fstring_full_format_spec] '}'
    private void ParseReplacementField(StringPieces pieces, bool raw, bool template)
    {
        Token open = Advance();
        if (!EnterNesting())
        {
            return;
        }

        Expr value;
        if (Kind is TokenKind.RightBrace or TokenKind.Exclamation or TokenKind.Colon or TokenKind.Equal)
        {
            Error(Current.Span, "f-string: valid expression required before '}'");
            value = Missing();
        }
        else
        {
            value = ParseStarExpressionsOrYield();
        }

        int expressionEnd = PreviousEnd;
        if (Kind == TokenKind.Equal)
        {
            Advance();
            int debugEnd = Current.Start;
            pieces.Extend(open.End, debugEnd);
            pieces.Text.Append(DebugText(open.End, debugEnd));
        }

        bool debug = _tokens[_index - 1].Kind == TokenKind.Equal;
        int conversion = -1;
        if (Eat(TokenKind.Exclamation))
        {
            if (Kind == TokenKind.Name && Current.Length == 1 && _text[Current.Start] is 'r' or 's' or 'a')
            {
                conversion = _text[Advance().Start];
            }
            else
            {
                ErrorAtCurrent("f-string: invalid conversion character: expected 's', 'r', or 'a'");
                if (Kind == TokenKind.Name)
                {
                    Advance();
                }
            }
        }

        Expr? formatSpec = null;
        if (Kind == TokenKind.Colon)
        {
            Token colon = Advance();
            if (++_formatSpecDepth > MaxFormatSpecDepth)
            {
                Error(colon.Span, "f-string: expressions nested too deeply");
            }

            StringPieces spec = StringPieces.Rent();
            while (Kind is TokenKind.FStringMiddle or TokenKind.LeftBrace)
            {
                if (Kind == TokenKind.LeftBrace)
                {
                    // Fields nested in a format spec are plain FormattedValues, even in a t-string.
                    ParseReplacementField(spec, raw, false);
                }
                else
                {
                    Token middle = Advance();
                    spec.Extend(middle.Start, middle.End);
                    AppendDecodedText(spec.Text, middle.Start, middle.End, raw, false);
                }
            }

            spec.Flush();
            int specEnd = Kind == TokenKind.RightBrace ? Current.Start : PreviousEnd;
            formatSpec = new JoinedStrExpr(TextSpan.FromBounds(colon.Start, specEnd), spec.ValuesArray());
            spec.Return();
            _formatSpecDepth--;
        }

        if (!Eat(TokenKind.RightBrace))
        {
            ErrorAtCurrent("f-string: expecting '}'");
        }

        if (debug && conversion == -1 && formatSpec == null)
        {
            conversion = 'r';
        }

        pieces.Flush();
        TextSpan span = TextSpan.FromBounds(open.Start, PreviousEnd);
        pieces.Values.Add(template
            ? new InterpolationExpr(span, value, _text.Substring(open.End, Math.Max(0, expressionEnd - open.End)), conversion, formatSpec)
            : new FormattedValueExpr(span, value, conversion, formatSpec));
        _depth--;
    }

    /// <summary>The source text of a self-documenting field (<c>{expr=}</c>), without comments, as CPython
    /// keeps it. Comments can only sit in the gaps between the field's tokens.</summary>
    private string DebugText(int start, int end)
    {
        if (_text.AsSpan(start, end - start).IndexOf('#') < 0)
        {
            return _text.Substring(start, end - start);
        }

        var builder = new StringBuilder();
        int first = _index - 1;
        while (first > 0 && _tokens[first - 1].Start >= start)
        {
            first--;
        }

        int position = start;
        for (int i = first; i < _index && _tokens[i].Start < end; i++)
        {
            AppendWithoutComments(builder, position, _tokens[i].Start);
            builder.Append(_text, _tokens[i].Start, _tokens[i].Length);
            position = _tokens[i].End;
        }

        AppendWithoutComments(builder, position, end);
        return builder.ToString();
    }

    private void AppendWithoutComments(StringBuilder builder, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            if (_text[i] == '#')
            {
                while (i < end && _text[i] != '\n' && _text[i] != '\r')
                {
                    i++;
                }

                if (i >= end)
                {
                    break;
                }
            }

            builder.Append(_text[i]);
        }
    }
}
