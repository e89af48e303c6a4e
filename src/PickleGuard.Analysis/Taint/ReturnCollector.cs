using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>The <c>return</c> statements of a function body, not those of the functions, lambdas and classes nested in it.</summary>
internal sealed class ReturnCollector : OwnBodyWalker
{
    private readonly List<ReturnStmt> _returns = [];

    public static List<ReturnStmt> Of(IReadOnlyList<Stmt> body)
    {
        var collector = new ReturnCollector();
        foreach (var statement in body)
        {
            collector.Walk(statement);
        }
        return collector._returns;
    }

    public override void VisitReturnStmt(ReturnStmt node) => _returns.Add(node);

    protected override bool Enters(Node scope) => false;
}
