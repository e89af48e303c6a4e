namespace PickleGuard.Python;

internal sealed partial class Parser
{
    // star_expressions: star_expression (',' star_expression)* [',']
    private Expr ParseStarExpressions()
    {
        int start = Current.Start;
        Expr first = ParseStarExpression();
        if (Kind != TokenKind.Comma)
        {
            return first;
        }

        var elements = Rent1<Expr>(first);
        while (Eat(TokenKind.Comma) && StartsExpression())
        {
            elements.Add(ParseStarExpression());
        }

        return new TupleExpr(SpanFrom(start), ToList(elements), ExprContext.Load);
    }

    private Expr ParseStarExpressionsOrYield() => Kind == TokenKind.Yield ? ParseYield() : ParseStarExpressions();

    // star_expression: '*' bitwise_or | expression
    private Expr ParseStarExpression() => Kind == TokenKind.Star ? ParseStarred() : ParseExpression();

    // star_named_expression: '*' bitwise_or | named_expression
    private Expr ParseStarNamedExpression() => Kind == TokenKind.Star ? ParseStarred() : ParseNamedExpression();

    private StarredExpr ParseStarred()
    {
        int start = Advance().Start;
        Expr value = ParseBitwiseOr();
        return new StarredExpr(SpanFrom(start), value, ExprContext.Load);
    }

    private Expr ParseBitwiseOrOrStar() => Kind == TokenKind.Star ? ParseStarred() : ParseBitwiseOr();

    /// <summary>star_targets for 'for' and comprehensions: parsed as bitwise_or items so that 'in' ends them.</summary>
    private Expr ParseTargetList()
    {
        int start = Current.Start;
        Expr first = ParseBitwiseOrOrStar();
        if (Kind != TokenKind.Comma)
        {
            return first;
        }

        var elements = Rent1<Expr>(first);
        while (Eat(TokenKind.Comma) && Kind != TokenKind.In && StartsExpression())
        {
            elements.Add(ParseBitwiseOrOrStar());
        }

        return new TupleExpr(SpanFrom(start), ToList(elements), ExprContext.Load);
    }

    // star_target (for 'with ... as' and match): a single target, possibly a parenthesized tuple
    private Expr ParseTarget() => ParseBitwiseOrOrStar();

    private bool StartsExpression() => Kind switch
    {
        TokenKind.Name or TokenKind.Number or TokenKind.String or TokenKind.FStringStart or TokenKind.LeftParen
            or TokenKind.LeftBracket or TokenKind.LeftBrace or TokenKind.Minus or TokenKind.Plus or TokenKind.Tilde
            or TokenKind.Star or TokenKind.Not or TokenKind.Lambda or TokenKind.Await or TokenKind.None
            or TokenKind.True or TokenKind.False or TokenKind.Ellipsis or TokenKind.Backtick => true,
        _ => false,
    };

    // named_expression: NAME ':=' ~ expression | expression !':='
    private Expr ParseNamedExpression()
    {
        if (Kind == TokenKind.Name && Peek(1) == TokenKind.ColonEqual)
        {
            Token name = Advance();
            Advance();
            Expr value = ParseExpression();
            return new NamedExpr(SpanFrom(name.Start), new NameExpr(name.Span, Intern(name), ExprContext.Store), value);
        }

        Expr expr = ParseExpression();
        if (Kind == TokenKind.ColonEqual)
        {
            Error(expr.Span, $"cannot use assignment expressions with {Describe(expr)}");
            Advance();
            ParseExpression();
        }

        return expr;
    }

    // expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
    private Expr ParseExpression()
    {
        if (++_depth > MaxDepth)
        {
            _depth--;
            BailOutTooDeep("too many nested parentheses or expressions");
            return Missing();
        }

        Expr result;
        if (Kind == TokenKind.Lambda)
        {
            result = ParseLambda();
        }
        else
        {
            int start = Current.Start;
            result = Kind is TokenKind.Not or TokenKind.Plus or TokenKind.Minus or TokenKind.Tilde or TokenKind.Await
                ? ParseDisjunction()
                : ParseOperatorsAfterPrimary(start, ParsePrimary());
            if (Kind == TokenKind.If)
            {
                Advance();
                Expr test = ParseDisjunction();
                Expr orelse;
                if (Eat(TokenKind.Else))
                {
                    orelse = ParseExpression();
                }
                else
                {
                    ErrorAtCurrent("expected 'else' after 'if' expression");
                    orelse = Missing();
                }

                result = new IfExpr(SpanFrom(start), test, result, orelse);
            }
        }

        _depth--;
        return result;
    }

    /// <summary>
    /// The rest of a disjunction whose first operand starts with a primary (no 'not', sign or 'await' in front),
    /// already parsed: the same tree as <see cref="ParseDisjunction"/>, but an operand followed by no operator
    /// (most are: a name, an attribute, a call, a literal) returns at once instead of climbing through every
    /// precedence level.
    /// </summary>
    private Expr ParseOperatorsAfterPrimary(int start, Expr primary)
    {
        if (!CanFollowOperand(Kind))
        {
            return primary;
        }

        Expr power = ParsePowerRest(start, primary);
        Expr comparison = ParseComparisonRest(start, ParseBinaryRest(1, start, power));
        return ParseDisjunctionRest(start, ParseConjunctionRest(start, comparison));
    }

    /// <summary>Whether a token may continue an operand with a binary, comparison or boolean operator (or '**'):
    /// every token one of the ...Rest methods acts on.</summary>
    private static bool CanFollowOperand(TokenKind kind) => kind switch
    {
        TokenKind.DoubleStar or TokenKind.And or TokenKind.Or => true,
        TokenKind.EqualEqual or TokenKind.NotEqual or TokenKind.Less or TokenKind.LessEqual or TokenKind.Greater
            or TokenKind.GreaterEqual or TokenKind.In or TokenKind.LessGreater or TokenKind.Is or TokenKind.Not => true,
        _ => BinaryOperatorOf(kind).Precedence > 0,
    };

    // lambdef: 'lambda' [lambda_params] ':' expression
    private LambdaExpr ParseLambda()
    {
        int start = Advance().Start;
        Arguments arguments = ParseParameters(TokenKind.Colon, allowAnnotations: false);
        Expect(TokenKind.Colon, ":");
        Expr body = ParseExpression();
        return new LambdaExpr(SpanFrom(start), arguments, body);
    }

    // disjunction: conjunction ('or' conjunction)+ | conjunction
    private Expr ParseDisjunction()
    {
        int start = Current.Start;
        return ParseDisjunctionRest(start, ParseConjunction());
    }

    private Expr ParseDisjunctionRest(int start, Expr first)
    {
        if (Kind != TokenKind.Or)
        {
            return first;
        }

        var values = Rent1<Expr>(first);
        while (Eat(TokenKind.Or))
        {
            values.Add(ParseConjunction());
        }

        return new BoolOpExpr(SpanFrom(start), BoolOperator.Or, ToList(values));
    }

    // conjunction: inversion ('and' inversion)+ | inversion
    private Expr ParseConjunction()
    {
        int start = Current.Start;
        return ParseConjunctionRest(start, ParseInversion());
    }

    private Expr ParseConjunctionRest(int start, Expr first)
    {
        if (Kind != TokenKind.And)
        {
            return first;
        }

        var values = Rent1<Expr>(first);
        while (Eat(TokenKind.And))
        {
            values.Add(ParseInversion());
        }

        return new BoolOpExpr(SpanFrom(start), BoolOperator.And, ToList(values));
    }

    // inversion: 'not' inversion | comparison  (iterative, so long chains cannot overflow the stack)
    private Expr ParseInversion()
    {
        if (Kind != TokenKind.Not)
        {
            return ParseComparison();
        }

        var starts = Rent<int>();
        while (Kind == TokenKind.Not)
        {
            if (starts.Count == MaxChainLength)
            {
                BailOutTooDeep("expression too deeply nested (too many 'not')");
                return Missing();
            }

            starts.Add(Advance().Start);
        }

        Expr operand = ParseComparison();
        int end = PreviousEnd;
        for (int i = starts.Count - 1; i >= 0; i--)
        {
            operand = new UnaryOpExpr(TextSpan.FromBounds(starts[i], end), UnaryOperator.Not, operand);
        }

        ListPool<int>.Return(starts);
        return operand;
    }

    // comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
    private Expr ParseComparison()
    {
        int start = Current.Start;
        return ParseComparisonRest(start, ParseBitwiseOr());
    }

    private Expr ParseComparisonRest(int start, Expr left)
    {
        CompareOperator? op = ComparisonOperator();
        if (op == null)
        {
            return left;
        }

        var ops = Rent<CompareOperator>();
        var comparators = Rent<Expr>();
        while (op != null)
        {
            ops.Add(op.Value);
            comparators.Add(ParseBitwiseOr());
            op = ComparisonOperator();
        }

        IReadOnlyList<CompareOperator> operators;
        if (ops.Count == 1)
        {
            operators = SingleOperators[(int)ops[0]];
            ListPool<CompareOperator>.Return(ops);
        }
        else
        {
            operators = ToList(ops);
        }

        return new CompareExpr(SpanFrom(start), left, operators, ToList(comparators));
    }

    /// <summary>The operator list of a comparison with one operator (most have one), by operator: shared, never written.</summary>
    private static readonly CompareOperator[][] SingleOperators = Enum.GetValues<CompareOperator>().Select(op => new[] { op }).ToArray();

    /// <summary>Consumes a comparison operator if one is next.</summary>
    private CompareOperator? ComparisonOperator()
    {
        CompareOperator? op = Kind switch
        {
            TokenKind.EqualEqual => CompareOperator.Eq,
            TokenKind.NotEqual => CompareOperator.NotEq,
            TokenKind.Less => CompareOperator.Lt,
            TokenKind.LessEqual => CompareOperator.LtE,
            TokenKind.Greater => CompareOperator.Gt,
            TokenKind.GreaterEqual => CompareOperator.GtE,
            TokenKind.In => CompareOperator.In,
            TokenKind.LessGreater => CompareOperator.NotEq,
            _ => null,
        };
        if (op != null)
        {
            if (Kind == TokenKind.LessGreater)
            {
                _diagnostics.AddPython2(Current.Span, "'<>' is Python 2 syntax; read as '!='");
            }

            Advance();
            return op;
        }

        if (Kind == TokenKind.Is)
        {
            Advance();
            return Eat(TokenKind.Not) ? CompareOperator.IsNot : CompareOperator.Is;
        }

        if (Kind == TokenKind.Not && Peek(1) == TokenKind.In)
        {
            Advance();
            Advance();
            return CompareOperator.NotIn;
        }

        return null;
    }

    // bitwise_or .. term: left-associative binary operators by precedence climbing.
    private Expr ParseBitwiseOr() => ParseBinary(1);

    private Expr ParseBinary(int minPrecedence)
    {
        int start = Current.Start;
        return ParseBinaryRest(minPrecedence, start, ParseFactor());
    }

    private Expr ParseBinaryRest(int minPrecedence, int start, Expr left)
    {
        int chain = 0;
        while (true)
        {
            (BinaryOperator op, int precedence) = BinaryOperatorOf(Kind);
            if (precedence < minPrecedence)
            {
                return left;
            }

            if (++chain > MaxChainLength)
            {
                BailOutTooDeep("expression too deeply nested (operator chain too long)");
                return left;
            }

            Advance();
            Expr right = ParseBinary(precedence + 1);
            left = new BinOpExpr(SpanFrom(start), left, op, right);
        }
    }

    private static (BinaryOperator Op, int Precedence) BinaryOperatorOf(TokenKind kind) => kind switch
    {
        TokenKind.VerticalBar => (BinaryOperator.BitOr, 1),
        TokenKind.CircumFlex => (BinaryOperator.BitXor, 2),
        TokenKind.Ampersand => (BinaryOperator.BitAnd, 3),
        TokenKind.LeftShift => (BinaryOperator.LShift, 4),
        TokenKind.RightShift => (BinaryOperator.RShift, 4),
        TokenKind.Plus => (BinaryOperator.Add, 5),
        TokenKind.Minus => (BinaryOperator.Sub, 5),
        TokenKind.Star => (BinaryOperator.Mult, 6),
        TokenKind.Slash => (BinaryOperator.Div, 6),
        TokenKind.DoubleSlash => (BinaryOperator.FloorDiv, 6),
        TokenKind.Percent => (BinaryOperator.Mod, 6),
        TokenKind.At => (BinaryOperator.MatMult, 6),
        _ => (BinaryOperator.Add, 0),
    };

    // factor: '+' factor | '-' factor | '~' factor | power  (iterative)
    private Expr ParseFactor()
    {
        if (Kind is not (TokenKind.Plus or TokenKind.Minus or TokenKind.Tilde))
        {
            return ParsePower();
        }

        var prefixes = Rent<(int Start, UnaryOperator Op)>();
        while (Kind is TokenKind.Plus or TokenKind.Minus or TokenKind.Tilde)
        {
            if (prefixes.Count == MaxChainLength)
            {
                BailOutTooDeep("expression too deeply nested (too many unary operators)");
                return Missing();
            }

            Token token = Advance();
            prefixes.Add((token.Start, token.Kind switch
            {
                TokenKind.Plus => UnaryOperator.UAdd,
                TokenKind.Minus => UnaryOperator.USub,
                _ => UnaryOperator.Invert,
            }));
        }

        Expr operand = ParsePower();
        int end = PreviousEnd;
        for (int i = prefixes.Count - 1; i >= 0; i--)
        {
            operand = new UnaryOpExpr(TextSpan.FromBounds(prefixes[i].Start, end), prefixes[i].Op, operand);
        }

        ListPool<(int, UnaryOperator)>.Return(prefixes);
        return operand;
    }

    // power: await_primary '**' factor | await_primary
    private Expr ParsePower()
    {
        int start = Current.Start;
        return ParsePowerRest(start, ParseAwaitPrimary());
    }

    private Expr ParsePowerRest(int start, Expr left)
    {
        if (Kind != TokenKind.DoubleStar)
        {
            return left;
        }

        if (++_depth > MaxDepth)
        {
            _depth--;
            BailOutTooDeep("too deeply nested expression");
            return left;
        }

        Advance();
        Expr right = ParseFactor();
        _depth--;
        return new BinOpExpr(SpanFrom(start), left, BinaryOperator.Pow, right);
    }

    // await_primary: 'await' primary | primary
    private Expr ParseAwaitPrimary()
    {
        if (Kind != TokenKind.Await)
        {
            return ParsePrimary();
        }

        int start = Advance().Start;
        Expr value = ParsePrimary();
        return new AwaitExpr(SpanFrom(start), value);
    }

    // yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
    private Expr ParseYield()
    {
        int start = Advance().Start;
        if (Eat(TokenKind.From))
        {
            Expr value = ParseExpression();
            return new YieldFromExpr(SpanFrom(start), value);
        }

        if (!StartsExpression() || Kind == TokenKind.Yield)
        {
            return new YieldExpr(SpanFrom(start), null);
        }

        Expr values = ParseStarExpressions();
        return new YieldExpr(SpanFrom(start), values);
    }
}
