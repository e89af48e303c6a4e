namespace PickleGuard.Python;

internal sealed partial class Parser
{
    // primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')' | primary '[' slices ']' | atom
    private Expr ParsePrimary()
    {
        int start = Current.Start;
        Expr expr = ParseAtom();
        for (int chain = 0; ; chain++)
        {
            if (chain > MaxChainLength && Kind is TokenKind.Dot or TokenKind.LeftParen or TokenKind.LeftBracket)
            {
                BailOutTooDeep("expression too deeply nested (too many trailers)");
                return expr;
            }

            switch (Kind)
            {
                case TokenKind.Dot:
                    Advance();
                    if (Kind is TokenKind.True or TokenKind.False or TokenKind.None or TokenKind.Async or TokenKind.Await or TokenKind.Nonlocal)
                    {
                        // Python 2 (and 3.6 for async/await): these were ordinary names.
                        Token keyword = Advance();
                        _diagnostics.AddPython2(keyword.Span, $"'{_text.Substring(keyword.Start, keyword.Length)}' is a keyword in Python 3; read as an attribute name");
                        expr = new AttributeExpr(SpanFrom(start), expr, Intern(keyword), ExprContext.Load);
                        break;
                    }

                    if (Kind != TokenKind.Name)
                    {
                        ErrorAtCurrent("expected an attribute name after '.'");
                        expr = new AttributeExpr(SpanFrom(start), expr, string.Empty, ExprContext.Load);
                        break;
                    }

                    Token name = Advance();
                    expr = new AttributeExpr(SpanFrom(start), expr, Intern(name), ExprContext.Load);
                    break;
                case TokenKind.LeftParen:
                    (IReadOnlyList<Expr> args, IReadOnlyList<Keyword> keywords) = ParseCallArguments();
                    expr = new CallExpr(SpanFrom(start), expr, args, keywords) { Ordinal = NextCallOrdinal() };
                    break;
                case TokenKind.LeftBracket:
                    Advance();
                    Expr slice = ParseSlices();
                    Expect(TokenKind.RightBracket, "]");
                    expr = new SubscriptExpr(SpanFrom(start), expr, slice, ExprContext.Load);
                    break;
                default:
                    return expr;
            }
        }
    }

    // slices: slice !',' | ','.(slice | starred_expression)+ [',']
    private Expr ParseSlices()
    {
        if (!EnterNesting())
        {
            return Missing();
        }

        int start = Current.Start;
        Expr first = ParseSlice();
        if (Kind == TokenKind.Comma)
        {
            var elements = Rent1<Expr>(first);
            while (Eat(TokenKind.Comma) && Kind != TokenKind.RightBracket && !AtExpressionEnd())
            {
                elements.Add(ParseSlice());
            }

            first = new TupleExpr(SpanFrom(start), ToList(elements), ExprContext.Load);
        }
        else if (first is StarredExpr)
        {
            first = new TupleExpr(first.Span, new[] { first }, ExprContext.Load);
        }

        _depth--;
        return first;
    }

    // slice: [expression] ':' [expression] [':' [expression]] | named_expression
    private Expr ParseSlice()
    {
        int start = Current.Start;
        if (Kind == TokenKind.Star)
        {
            return ParseStarred();
        }

        Expr? lower = Kind == TokenKind.Colon ? null : ParseNamedExpression();
        if (Kind != TokenKind.Colon)
        {
            return lower!;
        }

        Advance();
        Expr? upper = Kind is TokenKind.Colon or TokenKind.Comma or TokenKind.RightBracket ? null : ParseExpression();
        Expr? step = null;
        if (Eat(TokenKind.Colon))
        {
            step = Kind is TokenKind.Comma or TokenKind.RightBracket ? null : ParseExpression();
        }

        return new SliceExpr(SpanFrom(start), lower, upper, step);
    }

    private bool EnterNesting()
    {
        if (++_depth <= MaxDepth)
        {
            return true;
        }

        _depth--;
        BailOutTooDeep("too many nested parentheses");
        return false;
    }

    private Expr ParseAtom()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Advance();
                return new NameExpr(token.Span, Intern(token), ExprContext.Load);
            case TokenKind.Number:
                Advance();
                return ParseNumber(token);
            case TokenKind.String:
            case TokenKind.FStringStart:
                return ParseStrings();
            case TokenKind.None:
                Advance();
                return new ConstantExpr(token.Span, ConstantValue.None, false);
            case TokenKind.True:
                Advance();
                return new ConstantExpr(token.Span, ConstantValue.True, false);
            case TokenKind.False:
                Advance();
                return new ConstantExpr(token.Span, ConstantValue.False, false);
            case TokenKind.Ellipsis:
                Advance();
                return new ConstantExpr(token.Span, ConstantValue.Ellipsis, false);
            case TokenKind.LeftParen:
                return ParseParenthesized();
            case TokenKind.LeftBracket:
                return ParseListDisplay();
            case TokenKind.LeftBrace:
                return ParseDictOrSetDisplay();
            case TokenKind.Backtick:
                return ParsePython2Backtick();
            case TokenKind.Async:
            case TokenKind.Await:
                Advance();
                _diagnostics.AddPython2(token.Span, $"'{_text.Substring(token.Start, token.Length)}' is a keyword since Python 3.7; read as a name");
                return new NameExpr(token.Span, Intern(token), ExprContext.Load);
            case TokenKind.Star:
                {
                    Error(token.Span, "cannot use starred expression here");
                    return ParseStarred();
                }

            case TokenKind.Yield:
                {
                    Error(token.Span, "yield expression must be parenthesized here");
                    return ParseYield();
                }

            default:
                ErrorAtCurrent("expected an expression");
                if (token.Kind is TokenKind.Error or TokenKind.FStringMiddle or TokenKind.FStringEnd or TokenKind.RightParen
                    or TokenKind.RightBracket or TokenKind.RightBrace or TokenKind.Exclamation || IsKeywordToken(token.Kind))
                {
                    // Consume a token that can never start an expression, so callers make progress.
                    if (!(token.Kind is TokenKind.RightParen or TokenKind.RightBracket or TokenKind.RightBrace) && !IsStatementKeyword(token.Kind))
                    {
                        Advance();
                    }
                }

                return new NameExpr(new TextSpan(token.Start, 0), string.Empty, ExprContext.Load);
        }
    }

    private static bool IsKeywordToken(TokenKind kind) => kind >= TokenKind.False && kind <= TokenKind.Yield;

    private static bool IsStatementKeyword(TokenKind kind) => kind is TokenKind.Def or TokenKind.Class or TokenKind.If
        or TokenKind.Elif or TokenKind.Else or TokenKind.For or TokenKind.While or TokenKind.Try or TokenKind.Except
        or TokenKind.Finally or TokenKind.With or TokenKind.Return or TokenKind.Import or TokenKind.From or TokenKind.In;

    // tuple | group | genexp
    private Expr ParseParenthesized()
    {
        int start = Advance().Start;
        if (!EnterNesting())
        {
            return Missing();
        }

        Expr result;
        if (Eat(TokenKind.RightParen))
        {
            result = new TupleExpr(SpanFrom(start), Array.Empty<Expr>(), ExprContext.Load);
        }
        else if (Kind == TokenKind.Yield)
        {
            result = ParseYield();
            Expect(TokenKind.RightParen, ")");
        }
        else
        {
            Expr first = ParseStarNamedExpression();
            if (Kind is TokenKind.For || (Kind == TokenKind.Async && Peek(1) == TokenKind.For))
            {
                IReadOnlyList<Comprehension> generators = ParseComprehensions(first);
                Expect(TokenKind.RightParen, ")");
                result = new GeneratorExpr(SpanFrom(start), first, generators);
            }
            else if (Kind == TokenKind.Comma)
            {
                var elements = Rent1<Expr>(first);
                while (Eat(TokenKind.Comma) && Kind != TokenKind.RightParen && !AtExpressionEnd())
                {
                    elements.Add(ParseStarNamedExpression());
                }

                Expect(TokenKind.RightParen, ")");
                result = new TupleExpr(SpanFrom(start), ToList(elements), ExprContext.Load);
            }
            else
            {
                if (first is StarredExpr)
                {
                    Error(first.Span, "cannot use starred expression here");
                }

                Expect(TokenKind.RightParen, ")");
                result = first;
            }
        }

        _depth--;
        return result;
    }
}
