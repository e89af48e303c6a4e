using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>Collects the names an expression reads (not descending into lambdas or comprehensions' own scopes).</summary>
internal sealed class NameCollector : AstWalker
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public static IReadOnlySet<string> Of(Node node)
    {
        var collector = new NameCollector();
        collector.Walk(node);
        return collector._names;
    }

    public override void VisitNameExpr(NameExpr node) => _names.Add(node.Id);

    public override void VisitLambdaExpr(LambdaExpr node)
    {
    }
}
