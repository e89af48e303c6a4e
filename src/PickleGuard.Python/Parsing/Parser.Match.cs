namespace PickleGuard.Python;

internal sealed partial class Parser
{
    /// <summary>'match' is a soft keyword: it starts a match statement only when followed by a subject,
    /// ':' and an indented block of 'case' clauses. Decided by a speculative parse of the subject.</summary>
    private bool LooksLikeMatchStatement()
    {
        if (Peek(1) is TokenKind.Equal or TokenKind.Dot or TokenKind.Newline or TokenKind.Colon or TokenKind.Comma
            or TokenKind.RightParen or TokenKind.EndOfFile or TokenKind.Semicolon || AugmentedOperator(Peek(1)) != null)
        {
            return false;
        }

        int savedIndex = _index;
        int savedDiagnostics = _diagnostics.Items.Count;
        int savedDepth = _depth;
        Advance();
        ParseMatchSubject();
        bool isMatch = Kind == TokenKind.Colon && Peek(1) == TokenKind.Newline && Peek(2) == TokenKind.Indent;
        _index = savedIndex;
        _depth = savedDepth;
        _diagnostics.Items.RemoveRange(savedDiagnostics, _diagnostics.Items.Count - savedDiagnostics);
        return isMatch;
    }

    // subject_expr: star_named_expression ',' star_named_expressions? | named_expression
    private Expr ParseMatchSubject()
    {
        int start = Current.Start;
        Expr first = ParseStarNamedExpression();
        if (Kind != TokenKind.Comma)
        {
            return first;
        }

        var elements = Rent1<Expr>(first);
        while (Eat(TokenKind.Comma) && Kind != TokenKind.Colon && StartsExpression())
        {
            elements.Add(ParseStarNamedExpression());
        }

        return new TupleExpr(SpanFrom(start), ToList(elements), ExprContext.Load);
    }

    // match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
    private MatchStmt ParseMatchStatement()
    {
        int start = Advance().Start;
        Expr subject = ParseMatchSubject();
        Expect(TokenKind.Colon, ":");
        Eat(TokenKind.Newline);
        Eat(TokenKind.Indent);
        var cases = Rent<MatchCase>();
        bool entered = EnterBlock();
        while (entered && Kind is not (TokenKind.Dedent or TokenKind.EndOfFile))
        {
            int before = _index;
            if (IsSoftKeyword("case"))
            {
                cases.Add(ParseCase());
            }
            else
            {
                ErrorAtCurrent("expected 'case'");
                SkipToNewline();
                Eat(TokenKind.Newline);
            }

            if (_index == before)
            {
                Advance();
            }
        }

        if (entered)
        {
            Eat(TokenKind.Dedent);
            _blockDepth--;
        }

        int end = LastSignificantEnd();
        return new MatchStmt(TextSpan.FromBounds(start, end), subject, ToList(cases));
    }

    // case_block: "case" patterns guard? ':' block
    private MatchCase ParseCase()
    {
        int start = Advance().Start;
        Pattern pattern = ParsePatterns();
        Expr? guard = Eat(TokenKind.If) ? ParseNamedExpression() : null;
        ExpectColon();
        IReadOnlyList<Stmt> body = ParseBlock("'case' statement");
        int end = LastSignificantEnd();
        return new MatchCase(TextSpan.FromBounds(start, end), pattern, guard, body);
    }

    // patterns: open_sequence_pattern | pattern
    private Pattern ParsePatterns()
    {
        int start = Current.Start;
        Pattern first = ParseMaybeStarPattern();
        if (Kind != TokenKind.Comma)
        {
            return first;
        }

        var patterns = Rent1<Pattern>(first);
        while (Eat(TokenKind.Comma) && Kind is not (TokenKind.Colon or TokenKind.If))
        {
            patterns.Add(ParseMaybeStarPattern());
        }

        return new MatchSequencePattern(SpanFrom(start), ToList(patterns));
    }

    private Pattern ParseMaybeStarPattern()
    {
        if (Kind != TokenKind.Star)
        {
            return ParsePattern();
        }

        int start = Advance().Start;
        string? name = null;
        if (Kind == TokenKind.Name)
        {
            Token token = Advance();
            name = TokenIs(token, "_") ? null : Intern(token);
        }
        else
        {
            ErrorAtCurrent("expected a name after '*'");
        }

        return new MatchStarPattern(SpanFrom(start), name);
    }

    // pattern: or_pattern 'as' pattern_capture_target | or_pattern
    private Pattern ParsePattern()
    {
        if (!EnterNesting())
        {
            return new MatchAsPattern(new TextSpan(Current.Start, 0), null, null);
        }

        int start = Current.Start;
        Pattern pattern = ParseOrPattern();
        while (Eat(TokenKind.As))
        {
            string? name = null;
            if (Kind == TokenKind.Name)
            {
                Token token = Advance();
                if (TokenIs(token, "_"))
                {
                    Error(token.Span, "cannot use '_' as a target");
                }

                name = Intern(token);
            }
            else
            {
                ErrorAtCurrent("invalid pattern target");
            }

            pattern = new MatchAsPattern(SpanFrom(start), pattern, name);
        }

        _depth--;
        return pattern;
    }

    // or_pattern: '|'.closed_pattern+
    private Pattern ParseOrPattern()
    {
        int start = Current.Start;
        Pattern first = ParseClosedPattern();
        if (Kind != TokenKind.VerticalBar)
        {
            return first;
        }

        var patterns = Rent1<Pattern>(first);
        while (Eat(TokenKind.VerticalBar))
        {
            patterns.Add(ParseClosedPattern());
        }

        return new MatchOrPattern(SpanFrom(start), ToList(patterns));
    }

    private Pattern ParseClosedPattern()
    {
        int start = Current.Start;
        switch (Kind)
        {
            case TokenKind.None:
                Advance();
                return new MatchSingletonPattern(SpanFrom(start), ConstantValue.None);
            case TokenKind.True:
                Advance();
                return new MatchSingletonPattern(SpanFrom(start), ConstantValue.True);
            case TokenKind.False:
                Advance();
                return new MatchSingletonPattern(SpanFrom(start), ConstantValue.False);
            case TokenKind.Number:
            case TokenKind.Minus:
            case TokenKind.String:
            case TokenKind.FStringStart:
                {
                    Expr literal = ParseLiteralPatternValue();
                    return new MatchValuePattern(SpanFrom(start), literal);
                }

            case TokenKind.LeftParen:
            case TokenKind.LeftBracket:
                return ParseSequencePattern();
            case TokenKind.LeftBrace:
                return ParseMappingPattern();
            case TokenKind.Name:
                return ParseNamePattern();
            default:
                ErrorAtCurrent("expected a pattern");
                if (Kind is not (TokenKind.Colon or TokenKind.Newline or TokenKind.EndOfFile or TokenKind.RightParen or TokenKind.RightBracket or TokenKind.RightBrace))
                {
                    Advance();
                }

                return new MatchAsPattern(new TextSpan(start, 0), null, null);
        }
    }

    // literal_expr: signed_number ['+'|'-' imaginary] | strings
    private Expr ParseLiteralPatternValue()
    {
        if (Kind is TokenKind.String or TokenKind.FStringStart)
        {
            Expr strings = ParseStrings();
            if (strings is JoinedStrExpr or TemplateStrExpr)
            {
                Error(strings.Span, "patterns may only match literals and attribute lookups");
            }

            return strings;
        }

        int start = Current.Start;
        Expr value;
        if (Eat(TokenKind.Minus))
        {
            Expr operand = Kind == TokenKind.Number ? ParseNumber(Advance()) : Missing();
            value = new UnaryOpExpr(SpanFrom(start), UnaryOperator.USub, operand);
        }
        else
        {
            value = ParseNumber(Advance());
        }

        if (Kind is TokenKind.Plus or TokenKind.Minus)
        {
            BinaryOperator op = Advance().Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Sub;
            Expr right = Kind == TokenKind.Number ? ParseNumber(Advance()) : Missing();
            value = new BinOpExpr(SpanFrom(start), value, op, right);
        }

        return value;
    }

    // capture_pattern | wildcard_pattern | value_pattern | class_pattern
    private Pattern ParseNamePattern()
    {
        int start = Current.Start;
        Token first = Advance();
        if (Kind != TokenKind.Dot && Kind != TokenKind.LeftParen)
        {
            return new MatchAsPattern(first.Span, null, TokenIs(first, "_") ? null : Intern(first));
        }

        Expr value = new NameExpr(first.Span, Intern(first), ExprContext.Load);
        while (Eat(TokenKind.Dot))
        {
            if (Kind != TokenKind.Name)
            {
                ErrorAtCurrent("expected a name after '.'");
                break;
            }

            Token name = Advance();
            value = new AttributeExpr(SpanFrom(start), value, Intern(name), ExprContext.Load);
        }

        return Kind == TokenKind.LeftParen ? ParseClassPattern(start, value) : new MatchValuePattern(SpanFrom(start), value);
    }

    // class_pattern: name_or_attr '(' [pattern_arguments ','?] ')'
    private Pattern ParseClassPattern(int start, Expr cls)
    {
        Advance();
        var patterns = Rent<Pattern>();
        var keywordNames = Rent<string>();
        var keywordPatterns = Rent<Pattern>();
        while (Kind != TokenKind.RightParen && !AtExpressionEnd())
        {
            if (Kind == TokenKind.Name && Peek(1) == TokenKind.Equal)
            {
                keywordNames.Add(Intern(Advance()));
                Advance();
                keywordPatterns.Add(ParsePattern());
            }
            else
            {
                Pattern pattern = ParsePattern();
                if (keywordNames.Count > 0)
                {
                    Error(pattern.Span, "positional patterns follow keyword patterns");
                }

                patterns.Add(pattern);
            }

            if (!Eat(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RightParen, ")");
        return new MatchClassPattern(SpanFrom(start), cls, ToList(patterns), ToList(keywordNames), ToList(keywordPatterns));
    }

    // sequence_pattern: '[' maybe_sequence_pattern? ']' | '(' open_sequence_pattern? ')' ; group_pattern: '(' pattern ')'
    private Pattern ParseSequencePattern()
    {
        Token open = Advance();
        TokenKind close = open.Kind == TokenKind.LeftParen ? TokenKind.RightParen : TokenKind.RightBracket;
        var patterns = Rent<Pattern>();
        bool sawComma = false;
        while (Kind != close && !AtExpressionEnd())
        {
            patterns.Add(ParseMaybeStarPattern());
            if (!Eat(TokenKind.Comma))
            {
                break;
            }

            sawComma = true;
        }

        Expect(close, close == TokenKind.RightParen ? ")" : "]");
        if (open.Kind == TokenKind.LeftParen && patterns.Count == 1 && !sawComma && patterns[0] is not MatchStarPattern)
        {
            return patterns[0];
        }

        return new MatchSequencePattern(SpanFrom(open.Start), ToList(patterns));
    }

    // mapping_pattern: '{' [items] [double_star_pattern] ','? '}'
    private Pattern ParseMappingPattern()
    {
        int start = Advance().Start;
        var keys = Rent<Expr>();
        var patterns = Rent<Pattern>();
        string? rest = null;
        while (Kind != TokenKind.RightBrace && !AtExpressionEnd())
        {
            if (Eat(TokenKind.DoubleStar))
            {
                if (Kind == TokenKind.Name)
                {
                    rest = Intern(Advance());
                }
                else
                {
                    ErrorAtCurrent("expected a name after '**'");
                }
            }
            else
            {
                Expr key = Kind switch
                {
                    TokenKind.None => new ConstantExpr(Advance().Span, ConstantValue.None, null),
                    TokenKind.True => new ConstantExpr(Advance().Span, ConstantValue.True, null),
                    TokenKind.False => new ConstantExpr(Advance().Span, ConstantValue.False, null),
                    TokenKind.Name => ParseValuePatternExpr(),
                    _ => ParseLiteralPatternValue(),
                };
                keys.Add(key);
                Expect(TokenKind.Colon, ":");
                patterns.Add(ParsePattern());
            }

            if (!Eat(TokenKind.Comma))
            {
                break;
            }
        }

        Expect(TokenKind.RightBrace, "}");
        return new MatchMappingPattern(SpanFrom(start), ToList(keys), ToList(patterns), rest);
    }

    private Expr ParseValuePatternExpr()
    {
        int start = Current.Start;
        Token first = Advance();
        Expr value = new NameExpr(first.Span, Intern(first), ExprContext.Load);
        while (Eat(TokenKind.Dot) && Kind == TokenKind.Name)
        {
            string attribute = Intern(Advance());
            value = new AttributeExpr(SpanFrom(start), value, attribute, ExprContext.Load);
        }

        return value;
    }
}
