namespace PickleGuard.Python;

internal sealed partial class Parser
{
    // list | listcomp
    private Expr ParseListDisplay()
    {
        int start = Advance().Start;
        if (!EnterNesting())
        {
            return Missing();
        }

        Expr result;
        if (Eat(TokenKind.RightBracket))
        {
            result = new ListExpr(SpanFrom(start), Array.Empty<Expr>(), ExprContext.Load);
        }
        else
        {
            Expr first = ParseStarNamedExpression();
            if (Kind is TokenKind.For || (Kind == TokenKind.Async && Peek(1) == TokenKind.For))
            {
                IReadOnlyList<Comprehension> generators = ParseComprehensions(first, python2TupleIterable: true);
                Expect(TokenKind.RightBracket, "]");
                result = new ListCompExpr(SpanFrom(start), first, generators);
            }
            else
            {
                var elements = Rent1<Expr>(first);
                while (Eat(TokenKind.Comma) && Kind != TokenKind.RightBracket && !AtExpressionEnd())
                {
                    elements.Add(ParseStarNamedExpression());
                }

                Expect(TokenKind.RightBracket, "]");
                result = new ListExpr(SpanFrom(start), ToList(elements), ExprContext.Load);
            }
        }

        _depth--;
        return result;
    }

    // dict | set | dictcomp | setcomp
    private Expr ParseDictOrSetDisplay()
    {
        int start = Advance().Start;
        if (!EnterNesting())
        {
            return Missing();
        }

        Expr result;
        if (Eat(TokenKind.RightBrace))
        {
            result = new DictExpr(SpanFrom(start), Array.Empty<Expr?>(), Array.Empty<Expr>());
        }
        else if (Kind == TokenKind.DoubleStar)
        {
            result = ParseDictRest(start, null, null);
        }
        else
        {
            Expr first = ParseStarNamedExpression();
            if (Eat(TokenKind.Colon))
            {
                if (first is StarredExpr)
                {
                    Error(first.Span, "cannot use a starred expression in a dictionary key");
                }

                Expr value = ParseExpression();
                if (Kind is TokenKind.For || (Kind == TokenKind.Async && Peek(1) == TokenKind.For))
                {
                    IReadOnlyList<Comprehension> generators = ParseComprehensions(first);
                    Expect(TokenKind.RightBrace, "}");
                    result = new DictCompExpr(SpanFrom(start), first, value, generators);
                }
                else
                {
                    result = ParseDictRest(start, first, value);
                }
            }
            else if (Kind is TokenKind.For || (Kind == TokenKind.Async && Peek(1) == TokenKind.For))
            {
                IReadOnlyList<Comprehension> generators = ParseComprehensions(first);
                Expect(TokenKind.RightBrace, "}");
                result = new SetCompExpr(SpanFrom(start), first, generators);
            }
            else
            {
                var elements = Rent1<Expr>(first);
                while (Eat(TokenKind.Comma) && Kind != TokenKind.RightBrace && !AtExpressionEnd())
                {
                    elements.Add(ParseStarNamedExpression());
                }

                Expect(TokenKind.RightBrace, "}");
                result = new SetExpr(SpanFrom(start), ToList(elements));
            }
        }

        _depth--;
        return result;
    }

    private DictExpr ParseDictRest(int start, Expr? firstKey, Expr? firstValue)
    {
        var keys = Rent<Expr?>();
        var values = Rent<Expr>();
        bool needItem = true;
        if (firstValue != null)
        {
            keys.Add(firstKey);
            values.Add(firstValue);
            needItem = Eat(TokenKind.Comma);
        }

        while (needItem && Kind != TokenKind.RightBrace && !AtExpressionEnd())
        {
            if (Eat(TokenKind.DoubleStar))
            {
                keys.Add(null);
                values.Add(ParseBitwiseOr());
            }
            else
            {
                keys.Add(ParseExpression());
                Expect(TokenKind.Colon, ":");
                values.Add(ParseExpression());
            }

            needItem = Eat(TokenKind.Comma);
        }

        Expect(TokenKind.RightBrace, "}");
        return new DictExpr(SpanFrom(start), ToList(keys), ToList(values));
    }

    // for_if_clauses: (['async'] 'for' star_targets 'in' ~ disjunction ('if' disjunction)*)+
    private IReadOnlyList<Comprehension> ParseComprehensions(Expr element, bool python2TupleIterable = false)
    {
        if (element is StarredExpr)
        {
            Error(element.Span, "iterable unpacking cannot be used in comprehension");
        }


        var generators = Rent<Comprehension>();
        while (Kind == TokenKind.For || (Kind == TokenKind.Async && Peek(1) == TokenKind.For))
        {
            int start = Current.Start;
            bool isAsync = Eat(TokenKind.Async);
            Advance();
            Expr target = ParseTargetList();
            SetContext(target, ExprContext.Store);
            Expect(TokenKind.In, "in");
            int iterStart = Current.Start;
            Expr iter = ParseDisjunction();
            if (python2TupleIterable && Kind == TokenKind.Comma && Peek(1) is not (TokenKind.RightBracket or TokenKind.For))
            {
                // Python 2: [x for x in a, b] iterates over the tuple (a, b).
                var elements = Rent1<Expr>(iter);
                while (Eat(TokenKind.Comma) && StartsExpression())
                {
                    elements.Add(ParseDisjunction());
                }

                iter = new TupleExpr(SpanFrom(iterStart), ToList(elements), ExprContext.Load);
                _diagnostics.AddPython2(iter.Span, "list comprehension over an unparenthesized tuple is Python 2 syntax");
            }

            var ifs = Rent<Expr>();
            while (Eat(TokenKind.If))
            {
                ifs.Add(ParseDisjunction());
            }

            generators.Add(new Comprehension(SpanFrom(start), target, iter, ToList(ifs), isAsync));
        }

        return ToList(generators);
    }
}
