namespace PickleGuard.Python;

internal sealed partial class Parser
{
    /// <summary><c>print x</c> / <c>print &gt;&gt;f, x</c>: 'print' followed by something that cannot
    /// continue a Python 3 expression statement.</summary>
    private bool IsPython2Print()
    {
        if (!IsSoftKeyword("print"))
        {
            return false;
        }

        TokenKind next = Peek(1);
        return next is TokenKind.Name or TokenKind.Number or TokenKind.String or TokenKind.FStringStart
            or TokenKind.None or TokenKind.True or TokenKind.False or TokenKind.Not or TokenKind.Lambda
            or TokenKind.Tilde or TokenKind.Backtick or TokenKind.LeftBrace
            || (next == TokenKind.RightShift && RightShiftTargetEndsWithComma());
    }

    /// <summary><c>print &gt;&gt;f, x</c> is the Python 2 redirection; <c>print &gt;&gt; x</c> alone is read
    /// as the valid Python 3 shift expression.</summary>
    private bool RightShiftTargetEndsWithComma()
    {
        int depth = 0;
        for (int i = _index + 2; i < _count; i++)
        {
            switch (_tokens[i].Kind)
            {
                case TokenKind.LeftParen or TokenKind.LeftBracket or TokenKind.LeftBrace:
                    depth++;
                    break;
                case TokenKind.RightParen or TokenKind.RightBracket or TokenKind.RightBrace:
                    depth--;
                    break;
                case TokenKind.Comma when depth == 0:
                    return true;
                case TokenKind.Newline or TokenKind.Semicolon or TokenKind.EndOfFile or TokenKind.Equal:
                    return false;
            }
        }

        return false;
    }

    private bool IsPython2Exec()
    {
        if (!IsSoftKeyword("exec"))
        {
            return false;
        }

        TokenKind next = Peek(1);
        return next is TokenKind.Name or TokenKind.String or TokenKind.FStringStart;
    }

    // Python 2: 'print' ['>>' expression] [expression (',' expression)* [',']]
    private Stmt ParsePython2Print()
    {
        Token print = Advance();
        var args = Rent<Expr>();
        var keywords = Rent<Keyword>();
        if (Kind == TokenKind.RightShift)
        {
            int fileStart = Advance().Start;
            Expr file = ParseExpression();
            keywords.Add(new Keyword(SpanFrom(fileStart), "file", file));
            if (!Eat(TokenKind.Comma))
            {
                return Python2PrintCall(print, args, keywords);
            }
        }

        while (!AtExpressionEnd())
        {
            args.Add(ParseExpression());
            if (Kind != TokenKind.Comma)
            {
                break;
            }

            Token comma = Advance();
            if (AtExpressionEnd())
            {
                // A trailing comma suppresses the newline: end=" ".
                keywords.Add(new Keyword(comma.Span, "end", new ConstantExpr(comma.Span, ConstantValue.FromString(NotedString(" ")), false)));
            }
        }

        return Python2PrintCall(print, args, keywords);
    }

    private ExprStmt Python2PrintCall(Token print, List<Expr> args, List<Keyword> keywords)
    {
        TextSpan span = SpanFrom(print.Start);
        _diagnostics.AddPython2(span, "Missing parentheses in call to 'print' (Python 2 print statement); read as print(...)");
        var call = new CallExpr(span, new NameExpr(print.Span, Intern(print), ExprContext.Load), ToList(args), ToList(keywords)) { Ordinal = NextCallOrdinal() };
        return new ExprStmt(span, call);
    }

    // Python 2: 'exec' expression ['in' expression [',' expression]]
    private Stmt ParsePython2Exec()
    {
        Token exec = Advance();
        var args = Rent1<Expr>(ParseBitwiseOr());
        if (Eat(TokenKind.In))
        {
            args.Add(ParseExpression());
            if (Eat(TokenKind.Comma))
            {
                args.Add(ParseExpression());
            }
        }

        TextSpan span = SpanFrom(exec.Start);
        _diagnostics.AddPython2(span, "Missing parentheses in call to 'exec' (Python 2 exec statement); read as exec(...)");
        var call = new CallExpr(span, new NameExpr(exec.Span, Intern(exec), ExprContext.Load), ToList(args), Array.Empty<Keyword>()) { Ordinal = NextCallOrdinal() };
        return new ExprStmt(span, call);
    }

    // Python 2: '`' expression_list '`'  ->  repr(expression)
    private Expr ParsePython2Backtick()
    {
        int start = Advance().Start;
        Expr value = Kind == TokenKind.Backtick ? Missing() : ParseStarExpressions();
        if (!Eat(TokenKind.Backtick))
        {
            ErrorAtCurrent("expected closing '`'");
        }

        TextSpan span = SpanFrom(start);
        _diagnostics.AddPython2(span, "backquotes are Python 2 syntax; read as repr(...)");
        return new CallExpr(span, new NameExpr(new TextSpan(start, 1), Intern("repr"), ExprContext.Load), new[] { value }, Array.Empty<Keyword>()) { Ordinal = NextCallOrdinal() };
    }

    // Python 2: 'raise' E ',' V [',' TB]  ->  raise E(V)  (the traceback is dropped)
    private Expr ParsePython2RaiseArguments(int start, Expr exception)
    {
        Advance();
        Expr value = ParseExpression();
        if (Eat(TokenKind.Comma))
        {
            ParseExpression();
        }

        TextSpan span = SpanFrom(start);
        _diagnostics.AddPython2(span, "'raise E, V' is Python 2 syntax; read as 'raise E(V)'");
        return new CallExpr(TextSpan.FromBounds(exception.Span.Start, PreviousEnd), exception, new[] { value }, Array.Empty<Keyword>()) { Ordinal = NextCallOrdinal() };
    }
}
