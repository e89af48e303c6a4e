using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The <c>return</c> statements or the <c>yield</c> expressions of a function body, not those of the functions, lambdas
/// and classes nested in it.
/// </summary>
internal sealed class ReturnCollector : OwnBodyWalker
{
    private readonly List<ReturnStmt> _returns = [];
    private readonly List<YieldExpr> _yields = [];

    public static List<ReturnStmt> Of(IReadOnlyList<Stmt> body) => Walked(body)._returns;

    public static List<YieldExpr> YieldsOf(IReadOnlyList<Stmt> body) => Walked(body)._yields;

    private static ReturnCollector Walked(IReadOnlyList<Stmt> body)
    {
        var collector = new ReturnCollector();
        foreach (var statement in body)
        {
            collector.Walk(statement);
        }
        return collector;
    }

    public override void VisitReturnStmt(ReturnStmt node)
    {
        _returns.Add(node);
        base.VisitReturnStmt(node); // `return (yield x)`
    }

    public override void VisitYieldExpr(YieldExpr node)
    {
        _yields.Add(node);
        base.VisitYieldExpr(node);
    }

    protected override bool Enters(Node scope) => false;
}
