using Xunit;

namespace PickleGuard.Python.Tests.Parser;

/// <summary>
/// An expression's context is kept in two bits beside its start offset (Node.Tag): a target made Store or Del after
/// it was built keeps its span, and its neighbours keep their context.
/// </summary>
public sealed class ExpressionContextTests
{
    [Fact]
    public void TargetsTurnedStoreKeepTheirSpans()
    {
        const string Source = "a, b.c, d[0], *e, [f] = g\ndel h\n";
        var result = Parse.Text(Source);

        var assign = (AssignStmt)result.Module.Body[0];
        var target = Assert.IsType<TupleExpr>(assign.Targets[0]);
        Assert.Equal(ExprContext.Store, target.Ctx);
        Assert.Equal(
            [("a", ExprContext.Store), ("b.c", ExprContext.Store), ("d[0]", ExprContext.Store), ("*e", ExprContext.Store), ("[f]", ExprContext.Store)],
            target.Elts.Select(e => (Source.Substring(e.Span.Start, e.Span.Length), ContextOf(e))));
        var value = Assert.IsType<NameExpr>(assign.Value);
        Assert.Equal((24, 1, ExprContext.Load), (value.Span.Start, value.Span.Length, value.Ctx));
        var deleted = Assert.IsType<NameExpr>(((DeleteStmt)result.Module.Body[1]).Targets[0]);
        Assert.Equal((30, 1, ExprContext.Del), (deleted.Span.Start, deleted.Span.Length, deleted.Ctx));
    }

    private static ExprContext ContextOf(Expr expr) => expr switch
    {
        NameExpr name => name.Ctx,
        AttributeExpr attribute => attribute.Ctx,
        SubscriptExpr subscript => subscript.Ctx,
        StarredExpr starred => starred.Ctx,
        ListExpr list => list.Ctx,
        _ => throw new ArgumentException(expr.GetType().Name),
    };
}
