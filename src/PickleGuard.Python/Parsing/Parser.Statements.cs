namespace PickleGuard.Python;

internal sealed partial class Parser
{
    // file: [statements] ENDMARKER
    public ModuleNode ParseModule()
    {
        var body = Rent<Stmt>();
        while (Kind != TokenKind.EndOfFile)
        {
            int before = _index;
            ParseStatementInto(body);
            if (_index == before)
            {
                ErrorAtCurrent("unexpected token");
                Advance();
            }
        }

        return new ModuleNode(new TextSpan(0, _text.Length), ToList(body));
    }

    // statement: compound_stmt | simple_stmts
    private void ParseStatementInto(List<Stmt> into)
    {
        _diagnostics.Suppressed = false;
        switch (Kind)
        {
            case TokenKind.Newline:
                Advance();
                return;
            case TokenKind.Indent:
                ParseUnexpectedIndent(into);
                return;
            case TokenKind.Dedent:
                // A dedent to a level that matches no block (already reported by the lexer).
                Advance();
                return;
            case TokenKind.Def:
            case TokenKind.Class:
            case TokenKind.If:
            case TokenKind.While:
            case TokenKind.For:
            case TokenKind.Try:
            case TokenKind.With:
            case TokenKind.At:
            case TokenKind.Async when Peek(1) is TokenKind.Def or TokenKind.For or TokenKind.With:
                into.Add(ParseCompoundStatement());
                return;
            case TokenKind.Name when IsSoftKeyword("match") && LooksLikeMatchStatement():
                into.Add(ParseMatchStatement());
                return;
            default:
                ParseSimpleStatements(into);
                return;
        }
    }

    private void ParseUnexpectedIndent(List<Stmt> into)
    {
        Error(Current.Span, "unexpected indent");
        Advance();
        if (!EnterBlock())
        {
            return;
        }

        while (Kind is not (TokenKind.Dedent or TokenKind.EndOfFile))
        {
            int before = _index;
            ParseStatementInto(into);
            if (_index == before)
            {
                Advance();
            }
        }

        Eat(TokenKind.Dedent);
        _blockDepth--;
    }

    /// <summary>Counts one more block level; past the limit, skips the whole block iteratively.</summary>
    private bool EnterBlock()
    {
        if (_blockDepth < MaxBlockDepth)
        {
            _blockDepth++;
            return true;
        }

        Error(Current.Span, "too many levels of indentation");
        _diagnostics.Suppressed = true;
        int level = 1;
        while (level > 0 && Kind != TokenKind.EndOfFile)
        {
            if (Kind == TokenKind.Indent)
            {
                level++;
            }
            else if (Kind == TokenKind.Dedent)
            {
                level--;
            }

            Advance();
        }

        return false;
    }

    // block: NEWLINE INDENT statements DEDENT | simple_stmts
    private IReadOnlyList<Stmt> ParseBlock(string owner)
    {
        var body = Rent<Stmt>();
        if (Kind != TokenKind.Newline)
        {
            if (Kind is TokenKind.EndOfFile or TokenKind.Indent or TokenKind.Dedent)
            {
                Error(Current.Span, $"expected an indented block after {owner}");
                return Array.Empty<Stmt>();
            }

            ParseSimpleStatements(body);
            return ToList(body);
        }

        Advance();
        if (Kind != TokenKind.Indent)
        {
            Error(Current.Span, $"expected an indented block after {owner}");
            return Array.Empty<Stmt>();
        }

        Advance();
        if (!EnterBlock())
        {
            return Array.Empty<Stmt>();
        }

        while (Kind is not (TokenKind.Dedent or TokenKind.EndOfFile))
        {
            int before = _index;
            ParseStatementInto(body);
            if (_index == before)
            {
                ErrorAtCurrent("unexpected token");
                Advance();
            }
        }

        Eat(TokenKind.Dedent);
        _blockDepth--;
        return ToList(body);
    }

    // simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
    private void ParseSimpleStatements(List<Stmt> into)
    {
        while (true)
        {
            int before = _index;
            Stmt? statement = ParseSimpleStatement();
            if (statement != null)
            {
                into.Add(statement);
            }

            if (Eat(TokenKind.Semicolon))
            {
                if (Kind is TokenKind.Newline or TokenKind.EndOfFile)
                {
                    break;
                }

                continue;
            }

            if (Kind is not (TokenKind.Newline or TokenKind.EndOfFile))
            {
                if (Kind is not (TokenKind.Indent or TokenKind.Dedent))
                {
                    ErrorAtCurrent("expected newline");
                }

                SkipToNewline();
                if (_index == before)
                {
                    return;
                }
            }

            break;
        }

        Eat(TokenKind.Newline);
    }

    private Stmt? ParseSimpleStatement()
    {
        Token start = Current;
        switch (Kind)
        {
            case TokenKind.Pass:
                Advance();
                return new PassStmt(start.Span);
            case TokenKind.Break:
                Advance();
                return new BreakStmt(start.Span);
            case TokenKind.Continue:
                Advance();
                return new ContinueStmt(start.Span);
            case TokenKind.Return:
                return ParseReturn();
            case TokenKind.Raise:
                return ParseRaise();
            case TokenKind.Global:
            case TokenKind.Nonlocal:
                return ParseGlobal();
            case TokenKind.Del:
                return ParseDel();
            case TokenKind.Assert:
                return ParseAssert();
            case TokenKind.Import:
                return ParseImport();
            case TokenKind.From:
                return ParseImportFrom();
            case TokenKind.Name when IsSoftKeyword("type") && Peek(1) == TokenKind.Name && Peek(2) is TokenKind.Equal or TokenKind.LeftBracket:
                return ParseTypeAlias();
            case TokenKind.Name when IsPython2Print():
                return ParsePython2Print();
            case TokenKind.Name when IsPython2Exec():
                return ParsePython2Exec();
            case TokenKind.Newline:
            case TokenKind.EndOfFile:
            case TokenKind.Indent:
            case TokenKind.Dedent:
                ErrorAtCurrent("expected a statement");
                return null;
            default:
                return ParseExpressionStatement();
        }
    }

    // return_stmt: 'return' [star_expressions]
    private ReturnStmt ParseReturn()
    {
        int start = Advance().Start;
        Expr? value = AtExpressionEnd() ? null : ParseStarExpressions();
        return new ReturnStmt(SpanFrom(start), value);
    }

    private bool AtExpressionEnd() => Kind is TokenKind.Newline or TokenKind.Semicolon or TokenKind.EndOfFile or TokenKind.Dedent or TokenKind.Indent;

    // raise_stmt: 'raise' expression ['from' expression] | 'raise'
    private RaiseStmt ParseRaise()
    {
        int start = Advance().Start;
        if (AtExpressionEnd())
        {
            return new RaiseStmt(SpanFrom(start), null, null);
        }

        Expr exc = ParseExpression();
        Expr? cause = null;
        if (Eat(TokenKind.From))
        {
            cause = ParseExpression();
        }
        else if (Kind == TokenKind.Comma)
        {
            exc = ParsePython2RaiseArguments(start, exc);
        }

        return new RaiseStmt(SpanFrom(start), exc, cause);
    }

    // global_stmt: 'global' ','.NAME+ ; nonlocal_stmt: 'nonlocal' ','.NAME+
    private Stmt ParseGlobal()
    {
        Token keyword = Advance();
        var names = Rent<string>();
        do
        {
            if (Kind != TokenKind.Name)
            {
                ErrorAtCurrent("expected a name");
                break;
            }

            names.Add(Intern(Advance()));
        }
        while (Eat(TokenKind.Comma));

        TextSpan span = SpanFrom(keyword.Start);
        return keyword.Kind == TokenKind.Global ? new GlobalStmt(span, ToList(names)) : new NonlocalStmt(span, ToList(names));
    }

    // del_stmt: 'del' del_targets
    private DeleteStmt ParseDel()
    {
        int start = Advance().Start;
        var targets = Rent<Expr>();
        do
        {
            if (AtExpressionEnd())
            {
                if (targets.Count == 0)
                {
                    ErrorAtCurrent("expected an expression");
                }

                break;
            }

            Expr target = ParseBitwiseOrOrStar();
            SetContext(target, ExprContext.Del);
            targets.Add(target);
        }
        while (Eat(TokenKind.Comma));

        return new DeleteStmt(SpanFrom(start), ToList(targets));
    }

    // assert_stmt: 'assert' expression [',' expression]
    private AssertStmt ParseAssert()
    {
        int start = Advance().Start;
        Expr test = ParseExpression();
        Expr? message = Eat(TokenKind.Comma) ? ParseExpression() : null;
        return new AssertStmt(SpanFrom(start), test, message);
    }

    // type_alias: "type" NAME [type_params] '=' expression
    private TypeAliasStmt ParseTypeAlias()
    {
        int start = Advance().Start;
        Token name = Advance();
        var nameExpr = new NameExpr(name.Span, Intern(name), ExprContext.Store);
        IReadOnlyList<TypeParam> typeParams = Kind == TokenKind.LeftBracket ? ParseTypeParams() : Array.Empty<TypeParam>();
        Expect(TokenKind.Equal, "=");
        Expr value = ParseExpression();
        return new TypeAliasStmt(SpanFrom(start), nameExpr, typeParams, value);
    }
}
