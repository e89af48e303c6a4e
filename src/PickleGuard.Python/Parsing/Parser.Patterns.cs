namespace PickleGuard.Python;

internal sealed partial class Parser
{
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
            if (rest != null)
            {
                Error(Current.Span, "double star pattern must be the last item of a mapping pattern");
            }

            if (Eat(TokenKind.DoubleStar))
            {
                if (Kind == TokenKind.Name)
                {
                    Token restName = Advance();
                    if (TokenIs(restName, "_"))
                    {
                        Error(restName.Span, "invalid syntax: '**_' is not allowed in a mapping pattern");
                    }

                    rest = Intern(restName);
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
                    TokenKind.None => new ConstantExpr(Advance().Span, ConstantValue.None, false),
                    TokenKind.True => new ConstantExpr(Advance().Span, ConstantValue.True, false),
                    TokenKind.False => new ConstantExpr(Advance().Span, ConstantValue.False, false),
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
