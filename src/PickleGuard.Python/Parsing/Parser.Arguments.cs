namespace PickleGuard.Python;

internal sealed partial class Parser
{
    private static Arguments EmptyArguments() => new(default, Array.Empty<Arg>(), Array.Empty<Arg>(), null, Array.Empty<Arg>(), Array.Empty<Expr?>(), null, Array.Empty<Expr>());

    // '(' [args] ')' for calls and class bases: positional, *args, name=value, **kwargs
    private (IReadOnlyList<Expr> Args, IReadOnlyList<Keyword> Keywords) ParseCallArguments(bool classBases = false)
    {
        int open = Advance().Start;
        if (!EnterNesting())
        {
            return (Array.Empty<Expr>(), Array.Empty<Keyword>());
        }

        var args = Rent<Expr>();
        // Rented at the first keyword: most calls have none.
        List<Keyword>? keywords = null;
        bool sawKeyword = false;
        bool sawDoubleStar = false;
        while (Kind != TokenKind.RightParen && !AtExpressionEnd())
        {
            int start = Current.Start;
            if (Kind == TokenKind.DoubleStar)
            {
                Advance();
                Expr value = ParseExpression();
                (keywords ??= Rent<Keyword>()).Add(new Keyword(SpanFrom(start), null, value));
                sawDoubleStar = true;
            }
            else if (Kind == TokenKind.Star)
            {
                // '*' expression (wider than bitwise_or: f(*a or b) is valid)
                Advance();
                Expr unpacked = ParseExpression();
                var starred = new StarredExpr(SpanFrom(start), unpacked, ExprContext.Load);
                if (sawDoubleStar)
                {
                    Error(starred.Span, "iterable argument unpacking follows keyword argument unpacking");
                }

                args.Add(starred);
            }
            else if (Kind == TokenKind.Name && Peek(1) == TokenKind.Equal)
            {
                Token name = Advance();
                Advance();
                Expr value = ParseExpression();
                (keywords ??= Rent<Keyword>()).Add(new Keyword(SpanFrom(start), Intern(name), value));
                sawKeyword = true;
            }
            else
            {
                Expr value = ParseNamedExpression();
                if (Kind == TokenKind.Equal)
                {
                    Error(value.Span, "expression cannot contain assignment, perhaps you meant \"==\"?");
                    Advance();
                    ParseExpression();
                }

                if (Kind is TokenKind.For || (Kind == TokenKind.Async && Peek(1) == TokenKind.For))
                {
                    IReadOnlyList<Comprehension> generators = ParseComprehensions(value);
                    bool sole = args.Count == 0 && keywords == null && Kind == TokenKind.RightParen;
                    TextSpan span = sole ? TextSpan.FromBounds(open, Current.End) : SpanFrom(start);
                    if (!sole || classBases)
                    {
                        Error(span, "Generator expression must be parenthesized");
                    }

                    value = new GeneratorExpr(span, value, generators);
                }

                if (sawDoubleStar)
                {
                    Error(value.Span, "positional argument follows keyword argument unpacking");
                }
                else if (sawKeyword)
                {
                    Error(value.Span, "positional argument follows keyword argument");
                }

                args.Add(value);
            }

            if (!Eat(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RightParen, ")");
        _depth--;
        return (ToList(args), ToList(keywords));
    }

    // parameters (def) and lambda_parameters (lambda), ending before 'closer'
    private Arguments ParseParameters(TokenKind closer, bool allowAnnotations)
    {
        var posOnly = Rent<Arg>();
        var args = Rent<Arg>();
        var defaults = Rent<Expr>();
        var kwOnly = Rent<Arg>();
        var kwDefaults = Rent<Expr?>();
        Arg? vararg = null;
        Arg? kwarg = null;
        bool sawStar = false;
        bool reportedBareStar = false;
        int start = Current.Start;
        while (Kind != closer && !AtExpressionEnd())
        {
            int before = _index;
            if (Kind == TokenKind.Slash)
            {
                Token slash = Advance();
                if (sawStar || posOnly.Count > 0 || args.Count == 0)
                {
                    Error(slash.Span, args.Count == 0 && !sawStar ? "at least one argument must precede /" : "/ may appear only once and must be before *");
                }
                else
                {
                    posOnly.AddRange(args);
                    args.Clear();
                }
            }
            else if (Kind == TokenKind.Star)
            {
                Token star = Advance();
                if (sawStar)
                {
                    Error(star.Span, "* argument may appear only once");
                }

                sawStar = true;
                if (Kind == TokenKind.Name)
                {
                    vararg = ParseParameter(allowAnnotations, allowStarAnnotation: true);
                }
                else if (Kind == closer || (Kind == TokenKind.Comma && (Peek(1) == closer || Peek(1) == TokenKind.DoubleStar)))
                {
                    Error(star.Span, "named arguments must follow bare *");
                    reportedBareStar = true;
                }
            }
            else if (Kind == TokenKind.DoubleStar)
            {
                Advance();
                kwarg = ParseParameter(allowAnnotations, false);
                if (Kind == TokenKind.Comma && Peek(1) != closer)
                {
                    Error(Current.Span, "arguments cannot follow var-keyword argument");
                }
            }
            else if (Kind is TokenKind.Name or TokenKind.Async or TokenKind.Await)
            {
                Arg parameter = ParseParameter(allowAnnotations, false);
                Expr? defaultValue = Eat(TokenKind.Equal) ? ParseExpression() : null;
                if (sawStar)
                {
                    kwOnly.Add(parameter);
                    kwDefaults.Add(defaultValue);
                }
                else
                {
                    args.Add(parameter);
                    if (defaultValue != null)
                    {
                        defaults.Add(defaultValue);
                    }
                    else if (defaults.Count > 0)
                    {
                        Error(parameter.Span, "parameter without a default follows parameter with a default");
                    }
                }
            }
            else if (Kind == TokenKind.LeftParen)
            {
                // Python 2 tuple parameters: def f(a, (b, c)):
                Token paren = Current;
                SkipBalanced();
                if (Eat(TokenKind.Equal))
                {
                    ParseExpression();
                }

                _diagnostics.AddPython2(TextSpan.FromBounds(paren.Start, PreviousEnd), "tuple parameters are Python 2 only");
            }
            else
            {
                ErrorAtCurrent("expected a parameter");
                Advance();
            }

            if (_index == before || !Eat(TokenKind.Comma))
            {
                break;
            }
        }

        if (sawStar && vararg == null && kwOnly.Count == 0 && !reportedBareStar)
        {
            Error(TextSpan.FromBounds(start, PreviousEnd), "named arguments must follow bare *");
        }

        return new Arguments(SpanFrom(start), ToList(posOnly), ToList(args), vararg, ToList(kwOnly), ToList(kwDefaults), kwarg, ToList(defaults));
    }

    private Arg ParseParameter(bool allowAnnotations, bool allowStarAnnotation)
    {
        Token name = Current;
        if (Kind is TokenKind.Async or TokenKind.Await)
        {
            _diagnostics.AddPython2(name.Span, $"'{_text.Substring(name.Start, name.Length)}' is a keyword since Python 3.7; read as a name");
        }
        else if (Kind != TokenKind.Name)
        {
            ErrorAtCurrent("expected a parameter name");
            return new Arg(new TextSpan(name.Start, 0), string.Empty, null);
        }

        Advance();
        Expr? annotation = null;
        if (allowAnnotations && Eat(TokenKind.Colon))
        {
            annotation = allowStarAnnotation && Kind == TokenKind.Star ? ParseStarred() : ParseExpression();
        }

        return new Arg(SpanFrom(name.Start), Intern(name), annotation);
    }

    /// <summary>Skips a bracketed group (any nesting) iteratively.</summary>
    private void SkipBalanced()
    {
        int level = 0;
        do
        {
            if (Kind is TokenKind.LeftParen or TokenKind.LeftBracket or TokenKind.LeftBrace)
            {
                level++;
            }
            else if (Kind is TokenKind.RightParen or TokenKind.RightBracket or TokenKind.RightBrace)
            {
                level--;
            }
            else if (Kind is TokenKind.Newline or TokenKind.EndOfFile)
            {
                return;
            }

            Advance();
        }
        while (level > 0);
    }

    // type_params: '[' type_param_seq ']'
    private IReadOnlyList<TypeParam> ParseTypeParams()
    {
        Advance();
        var parameters = Rent<TypeParam>();
        while (Kind != TokenKind.RightBracket && !AtExpressionEnd())
        {
            int start = Current.Start;
            int kind = Kind == TokenKind.Star ? 1 : Kind == TokenKind.DoubleStar ? 2 : 0;
            if (kind != 0)
            {
                Advance();
            }

            if (Kind != TokenKind.Name)
            {
                ErrorAtCurrent("expected a type parameter name");
                break;
            }

            string name = Intern(Advance());
            Expr? bound = null;
            if (kind == 0 && Eat(TokenKind.Colon))
            {
                bound = ParseExpression();
            }

            Expr? defaultValue = null;
            if (Eat(TokenKind.Equal))
            {
                defaultValue = kind == 1 && Kind == TokenKind.Star ? ParseStarred() : ParseExpression();
            }

            TextSpan span = SpanFrom(start);
            parameters.Add(kind switch
            {
                1 => new TypeVarTupleParam(span, name, defaultValue),
                2 => new ParamSpecParam(span, name, defaultValue),
                _ => new TypeVarParam(span, name, bound, defaultValue),
            });
            if (!Eat(TokenKind.Comma))
            {
                break;
            }
        }

        if (parameters.Count == 0)
        {
            ErrorAtCurrent("type parameter list cannot be empty");
        }

        Expect(TokenKind.RightBracket, "]");
        return ToList(parameters);
    }
}
