namespace PickleGuard.Python;

internal sealed partial class Parser
{
    // assignment | star_expressions | augassign | annotated assignment
    private Stmt ParseExpressionStatement()
    {
        int start = Current.Start;
        bool startsWithParen = Kind == TokenKind.LeftParen;
        Expr first = ParseStarExpressionsOrYield();
        switch (Kind)
        {
            case TokenKind.Equal:
                return ParseAssignment(start, first);
            case TokenKind.Colon:
                return ParseAnnotatedAssignment(start, first, startsWithParen);
            default:
                BinaryOperator? op = AugmentedOperator(Kind);
                if (op != null)
                {
                    Advance();
                    if (first is not (NameExpr or AttributeExpr or SubscriptExpr))
                    {
                        Error(first.Span, $"'{Describe(first)}' is an illegal expression for augmented assignment");
                    }
                    else
                    {
                        SetContext(first, ExprContext.Store);
                    }

                    Expr value = ParseStarExpressionsOrYield();
                    return new AugAssignStmt(SpanFrom(start), first, op.Value, value);
                }

                return new ExprStmt(SpanFrom(start), first);
        }
    }

    private AssignStmt ParseAssignment(int start, Expr first)
    {
        var targets = Rent1<Expr>(first);
        Expr value = first;
        while (Eat(TokenKind.Equal))
        {
            value = ParseStarExpressionsOrYield();
            targets.Add(value);
        }

        targets.RemoveAt(targets.Count - 1);
        foreach (Expr target in targets)
        {
            SetContext(target, ExprContext.Store);
        }

        return new AssignStmt(SpanFrom(start), ToList(targets), value);
    }

    private AnnAssignStmt ParseAnnotatedAssignment(int start, Expr target, bool parenthesized)
    {
        Advance();
        if (target is TupleExpr)
        {
            Error(target.Span, "only single target (not tuple) can be annotated");
        }
        else if (target is ListExpr)
        {
            Error(target.Span, "only single target (not list) can be annotated");
        }
        else if (target is not (NameExpr or AttributeExpr or SubscriptExpr))
        {
            Error(target.Span, "illegal target for annotation");
        }
        else
        {
            SetContext(target, ExprContext.Store);
        }

        Expr annotation = ParseExpression();
        Expr? value = Eat(TokenKind.Equal) ? ParseStarExpressionsOrYield() : null;
        bool simple = target is NameExpr && !parenthesized;
        return new AnnAssignStmt(SpanFrom(start), target, annotation, value, simple);
    }

    private static BinaryOperator? AugmentedOperator(TokenKind kind) => kind switch
    {
        TokenKind.PlusEqual => BinaryOperator.Add,
        TokenKind.MinusEqual => BinaryOperator.Sub,
        TokenKind.StarEqual => BinaryOperator.Mult,
        TokenKind.AtEqual => BinaryOperator.MatMult,
        TokenKind.SlashEqual => BinaryOperator.Div,
        TokenKind.PercentEqual => BinaryOperator.Mod,
        TokenKind.AmpersandEqual => BinaryOperator.BitAnd,
        TokenKind.VerticalBarEqual => BinaryOperator.BitOr,
        TokenKind.CircumflexEqual => BinaryOperator.BitXor,
        TokenKind.LeftShiftEqual => BinaryOperator.LShift,
        TokenKind.RightShiftEqual => BinaryOperator.RShift,
        TokenKind.DoubleStarEqual => BinaryOperator.Pow,
        TokenKind.DoubleSlashEqual => BinaryOperator.FloorDiv,
        _ => null,
    };

    /// <summary>Gives an expression a Store or Del context, reporting targets CPython rejects.</summary>
    private void SetContext(Expr target, ExprContext context)
    {
        switch (target)
        {
            case NameExpr name:
                if (name.Id.Length > 0 && context == ExprContext.Store && name.Id == "__debug__")
                {
                    Error(name.Span, "cannot assign to __debug__");
                }

                name.Ctx = context;
                return;
            case AttributeExpr attribute:
                attribute.Ctx = context;
                return;
            case SubscriptExpr subscript:
                subscript.Ctx = context;
                return;
            case StarredExpr starred:
                if (context == ExprContext.Del)
                {
                    Error(starred.Span, "cannot delete starred");
                }

                starred.Ctx = context;
                SetContext(starred.Value, context);
                return;
            case TupleExpr tuple:
                tuple.Ctx = context;
                SetContextAll(tuple.Elts, context);
                return;
            case ListExpr list:
                list.Ctx = context;
                SetContextAll(list.Elts, context);
                return;
            default:
                string verb = context == ExprContext.Del ? "delete" : "assign to";
                Error(target.Span, $"cannot {verb} {Describe(target)}");
                return;
        }
    }

    private void SetContextAll(IReadOnlyList<Expr> targets, ExprContext context)
    {
        int starred = 0;
        for (int i = 0; i < targets.Count; i++)
        {
            if (targets[i] is StarredExpr && context == ExprContext.Store && ++starred == 2)
            {
                Error(targets[i].Span, "multiple starred expressions in assignment");
            }

            SetContext(targets[i], context);
        }
    }

    private static string Describe(Expr expr) => expr switch
    {
        CallExpr => "function call",
        ConstantExpr { Value.Type: ConstantType.None or ConstantType.True or ConstantType.False or ConstantType.Ellipsis } => "literal",
        ConstantExpr => "literal",
        JoinedStrExpr => "f-string expression",
        TemplateStrExpr => "t-string expression",
        BoolOpExpr or BinOpExpr or UnaryOpExpr => "expression",
        CompareExpr => "comparison",
        LambdaExpr => "lambda",
        IfExpr => "conditional expression",
        NamedExpr => "named expression",
        DictExpr => "dict literal",
        SetExpr => "set display",
        ListCompExpr => "list comprehension",
        SetCompExpr => "set comprehension",
        DictCompExpr => "dict comprehension",
        GeneratorExpr => "generator expression",
        AwaitExpr => "await expression",
        YieldExpr or YieldFromExpr => "yield expression",
        StarredExpr => "starred",
        _ => "expression",
    };
}
