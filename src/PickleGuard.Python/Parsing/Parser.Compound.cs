namespace PickleGuard.Python;

internal sealed partial class Parser
{
    private Stmt ParseCompoundStatement()
    {
        switch (Kind)
        {
            case TokenKind.If:
                return ParseIf();
            case TokenKind.While:
                return ParseWhile();
            case TokenKind.For:
                return ParseFor(Current.Start, false);
            case TokenKind.Try:
                return ParseTry();
            case TokenKind.With:
                return ParseWith(Current.Start, false);
            case TokenKind.At:
                return ParseDecorated();
            case TokenKind.Class:
                return ParseClass(Current.Start, Array.Empty<Expr>());
            case TokenKind.Def:
                return ParseFunction(Current.Start, Array.Empty<Expr>(), false);
            default:
                int start = Advance().Start;
                return Kind switch
                {
                    TokenKind.For => ParseFor(start, true),
                    TokenKind.With => ParseWith(start, true),
                    _ => ParseFunction(start, Array.Empty<Expr>(), true),
                };
        }
    }

    private void ExpectColon()
    {
        if (!Eat(TokenKind.Colon))
        {
            ErrorAtCurrent("expected ':'");
            // Recover: drop the rest of the header so the block still parses.
            SkipToNewline();
        }
    }

    // if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
    private IfStmt ParseIf()
    {
        var clauses = Rent<(int Start, Expr Test, IReadOnlyList<Stmt> Body)>();
        int start = Advance().Start;
        Expr test = ParseNamedExpression();
        ExpectColon();
        clauses.Add((start, test, ParseBlock("'if' statement")));
        while (Kind == TokenKind.Elif)
        {
            int elifStart = Advance().Start;
            Expr elifTest = ParseNamedExpression();
            ExpectColon();
            clauses.Add((elifStart, elifTest, ParseBlock("'elif' statement")));
        }

        IReadOnlyList<Stmt> orelse = ParseElse();
        int end = LastSignificantEnd();
        IfStmt? result = null;
        for (int i = clauses.Count - 1; i >= 0; i--)
        {
            (int clauseStart, Expr clauseTest, IReadOnlyList<Stmt> body) = clauses[i];
            IReadOnlyList<Stmt> tail = result != null ? new Stmt[] { result } : orelse;
            result = new IfStmt(TextSpan.FromBounds(clauseStart, end), clauseTest, body, tail);
        }

        ListPool<(int, Expr, IReadOnlyList<Stmt>)>.Return(clauses);
        return result!;
    }

    /// <summary>End of the last consumed token that is not NEWLINE/INDENT/DEDENT: CPython ends a compound
    /// statement there, so a trailing ';' counts.</summary>
    private int LastSignificantEnd()
    {
        for (int i = _index - 1; i >= 0; i--)
        {
            if (_tokens[i].Kind is not (TokenKind.Newline or TokenKind.Indent or TokenKind.Dedent or TokenKind.EndOfFile))
            {
                return _tokens[i].End;
            }
        }

        return 0;
    }

    private IReadOnlyList<Stmt> ParseElse()
    {
        if (!Eat(TokenKind.Else))
        {
            return Array.Empty<Stmt>();
        }

        ExpectColon();
        return ParseBlock("'else' statement");
    }

    // while_stmt: 'while' named_expression ':' block [else_block]
    private WhileStmt ParseWhile()
    {
        int start = Advance().Start;
        Expr test = ParseNamedExpression();
        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("'while' statement");
        IReadOnlyList<Stmt> orelse = ParseElse();
        return new WhileStmt(TextSpan.FromBounds(start, LastSignificantEnd()), test, body, orelse);
    }

    // for_stmt: ['async'] 'for' star_targets 'in' ~ star_expressions ':' block [else_block]
    private Stmt ParseFor(int start, bool isAsync)
    {
        Advance();
        Expr target = ParseTargetList();
        SetContext(target, ExprContext.Store);
        Expect(TokenKind.In, "in");
        Expr iter = ParseStarExpressions();
        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("'for' statement");
        IReadOnlyList<Stmt> orelse = ParseElse();
        TextSpan span = TextSpan.FromBounds(start, LastSignificantEnd());
        return isAsync ? new AsyncForStmt(span, target, iter, body, orelse) : new ForStmt(span, target, iter, body, orelse);
    }

    // try_stmt: 'try' ':' block finally_block | 'try' ':' block except_block+ [else_block] [finally_block]
    //         | 'try' ':' block except_star_block+ [else_block] [finally_block]
    private Stmt ParseTry()
    {
        int start = Advance().Start;
        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("'try' statement");
        var handlers = Rent<ExceptHandler>();
        bool? star = null;
        while (Kind == TokenKind.Except)
        {
            bool isStar = PeekToken(1).Kind == TokenKind.Star;
            if (star != null && star != isStar)
            {
                Error(Current.Span, "cannot have both 'except' and 'except*' on the same 'try'");
            }

            star ??= isStar;
            handlers.Add(ParseExceptHandler(isStar));
        }

        IReadOnlyList<Stmt> orelse = ParseElse();
        IReadOnlyList<Stmt> finalBody = Array.Empty<Stmt>();
        if (Eat(TokenKind.Finally))
        {
            ExpectColon();
            finalBody = ParseBlock("'finally' statement");
        }

        if (handlers.Count == 0 && finalBody.Count == 0)
        {
            Error(new TextSpan(LastSignificantEnd(), 0), "expected 'except' or 'finally' block");
        }
        else if (handlers.Count == 0 && orelse.Count > 0)
        {
            Error(new TextSpan(start, 3), "'else' without 'except' in 'try' statement");
        }

        TextSpan span = TextSpan.FromBounds(start, LastSignificantEnd());
        return star == true
            ? new TryStarStmt(span, body, ToList(handlers), orelse, finalBody)
            : new TryStmt(span, body, ToList(handlers), orelse, finalBody);
    }

    // except_block: 'except' expression ['as' NAME] ':' block | 'except' ':' block
    //   3.14 (PEP 758): 'except' expressions ':' block  (a tuple without parentheses, no 'as')
    //   Python 2: 'except' expression ',' NAME ':' block  (read as 'as NAME')
    private ExceptHandler ParseExceptHandler(bool isStar)
    {
        int start = Advance().Start;
        if (isStar)
        {
            Advance();
        }

        Expr? type = null;
        string? name = null;
        if (Kind != TokenKind.Colon)
        {
            int typeStart = Current.Start;
            type = ParseExpression();
            if (Kind == TokenKind.Comma)
            {
                if (Peek(1) == TokenKind.Name && Peek(2) == TokenKind.Colon && IsPython2ExceptName())
                {
                    Advance();
                    Token nameToken = Advance();
                    _diagnostics.AddPython2(TextSpan.FromBounds(typeStart, nameToken.End), "'except E, name:' is Python 2 syntax; read as 'except E as name:'");
                    name = Intern(nameToken);
                }
                else
                {
                    var elements = Rent1<Expr>(type);
                    while (Eat(TokenKind.Comma) && Kind != TokenKind.Colon)
                    {
                        elements.Add(ParseExpression());
                    }

                    type = new TupleExpr(SpanFrom(typeStart), ToList(elements), ExprContext.Load);
                    if (Kind == TokenKind.As)
                    {
                        Error(Current.Span, "multiple exception types must be parenthesized when using 'as'");
                    }
                }
            }

            if (name == null && Eat(TokenKind.As))
            {
                if (Kind == TokenKind.Name)
                {
                    name = Intern(Advance());
                }
                else
                {
                    ErrorAtCurrent("expected a name after 'as'");
                    SkipToColon();
                }
            }
        }
        else if (isStar)
        {
            Error(Current.Span, "expected one or more exception types");
        }

        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("'except' statement");
        int end = LastSignificantEnd();
        return new ExceptHandler(TextSpan.FromBounds(start, end), type, name, body);
    }

    /// <summary>In <c>except A, b:</c> the 3.14 reading is a tuple of two exception types; the Python 2
    /// reading binds <c>b</c>. Exception types are by convention capitalized or dotted, so a lower-case
    /// plain name in second place is read as the Python 2 target.</summary>
    private bool IsPython2ExceptName()
    {
        Token name = PeekToken(1);
        char first = _text[name.Start];
        return char.IsLower(first) || (first == '_' && name.Length > 1 && char.IsLower(_text[name.Start + 1]));
    }

    private void SkipToColon()
    {
        while (Kind is not (TokenKind.Colon or TokenKind.Newline or TokenKind.EndOfFile))
        {
            Advance();
        }
    }

    // with_stmt: ['async'] 'with' ( '(' ','.with_item+ ','? ')' | ','.with_item+ ) ':' block
    private Stmt ParseWith(int start, bool isAsync)
    {
        Advance();
        IReadOnlyList<WithItem>? items = Kind == TokenKind.LeftParen ? TryParseParenthesizedWithItems() : null;
        if (items == null)
        {
            var list = Rent<WithItem>();
            do
            {
                list.Add(ParseWithItem());
            }
            while (Eat(TokenKind.Comma));
            items = ToList(list);
        }

        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("'with' statement");
        int end = LastSignificantEnd();
        TextSpan span = TextSpan.FromBounds(start, end);
        return isAsync ? new AsyncWithStmt(span, items, body) : new WithStmt(span, items, body);
    }

    /// <summary>Tries <c>with (a as b, c):</c>; backtracks when the parentheses turn out to belong to an
    /// expression, as in <c>with (a, b) as c:</c>.</summary>
    private IReadOnlyList<WithItem>? TryParseParenthesizedWithItems()
    {
        int savedIndex = _index;
        int savedDiagnostics = _diagnostics.Items.Count;
        Advance();
        var items = Rent<WithItem>();
        while (Kind != TokenKind.RightParen)
        {
            items.Add(ParseWithItem());
            if (!Eat(TokenKind.Comma))
            {
                break;
            }
        }

        if (items.Count > 0 && Eat(TokenKind.RightParen) && Kind == TokenKind.Colon && _diagnostics.Items.Count == savedDiagnostics)
        {
            return ToList(items);
        }

        _index = savedIndex;
        _diagnostics.Items.RemoveRange(savedDiagnostics, _diagnostics.Items.Count - savedDiagnostics);
        return null;
    }

    // with_item: expression 'as' star_target &(',' | ')' | ':') | expression
    private WithItem ParseWithItem()
    {
        int start = Current.Start;
        Expr context = ParseExpression();
        Expr? vars = null;
        if (Eat(TokenKind.As))
        {
            vars = ParseTarget();
            SetContext(vars, ExprContext.Store);
        }

        return new WithItem(SpanFrom(start), context, vars);
    }

    // decorators: ('@' named_expression NEWLINE)+
    private Stmt ParseDecorated()
    {
        var decorators = Rent<Expr>();
        while (Kind == TokenKind.At)
        {
            Advance();
            decorators.Add(ParseNamedExpression());
            if (!Eat(TokenKind.Newline))
            {
                ErrorAtCurrent("expected newline after decorator");
                SkipToNewline();
                Eat(TokenKind.Newline);
            }
        }

        IReadOnlyList<Expr> list = ToList(decorators);
        switch (Kind)
        {
            case TokenKind.Class:
                return ParseClass(Current.Start, list);
            case TokenKind.Def:
                return ParseFunction(Current.Start, list, false);
            case TokenKind.Async when Peek(1) == TokenKind.Def:
                return ParseFunction(Advance().Start, list, true);
            default:
                ErrorAtCurrent("expected 'def' or 'class' after decorator");
                int start = Current.Start;
                return new ExprStmt(SpanFrom(start), list.Count > 0 ? list[^1] : Missing());
        }
    }

    // class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
    private ClassDefStmt ParseClass(int start, IReadOnlyList<Expr> decorators)
    {
        Advance();
        string name = ParseDefinitionName();
        IReadOnlyList<TypeParam> typeParams = Kind == TokenKind.LeftBracket ? ParseTypeParams() : Array.Empty<TypeParam>();
        IReadOnlyList<Expr> bases = Array.Empty<Expr>();
        IReadOnlyList<Keyword> keywords = Array.Empty<Keyword>();
        if (Kind == TokenKind.LeftParen)
        {
            (bases, keywords) = ParseCallArguments(classBases: true);
        }

        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("class definition");
        int end = LastSignificantEnd();
        return new ClassDefStmt(TextSpan.FromBounds(start, end), name, bases, keywords, body, decorators, typeParams);
    }

    private string ParseDefinitionName()
    {
        if (Kind == TokenKind.Name)
        {
            return Intern(Advance());
        }

        ErrorAtCurrent("expected a name");
        return string.Empty;
    }

    // function_def_raw: ['async'] 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':' block
    private Stmt ParseFunction(int start, IReadOnlyList<Expr> decorators, bool isAsync)
    {
        Advance();
        string name = ParseDefinitionName();
        IReadOnlyList<TypeParam> typeParams = Kind == TokenKind.LeftBracket ? ParseTypeParams() : Array.Empty<TypeParam>();
        Arguments arguments;
        if (Eat(TokenKind.LeftParen))
        {
            arguments = ParseParameters(TokenKind.RightParen, allowAnnotations: true);
            Expect(TokenKind.RightParen, ")");
        }
        else
        {
            ErrorAtCurrent("expected '('");
            arguments = EmptyArguments();
        }

        Expr? returns = Eat(TokenKind.RightArrow) ? ParseExpression() : null;
        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("function definition");
        int end = LastSignificantEnd();
        TextSpan span = TextSpan.FromBounds(start, end);
        return isAsync
            ? new AsyncFunctionDefStmt(span, name, arguments, body, decorators, returns, typeParams)
            : new FunctionDefStmt(span, name, arguments, body, decorators, returns, typeParams);
    }
}
