using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// The values stored into <c>receiver.attribute</c> in one scope's own statements (<c>a.data = request.data</c> on a
/// local instance), not descending into nested functions, classes or lambdas. A store whose value cannot be named (an
/// unpacking target, an augmented assignment) is reported as null: its provenance is unknown.
/// </summary>
internal sealed class AttributeStoreCollector : OwnBodyWalker
{
    private readonly Node _root;
    private readonly string _receiver;
    private readonly string _attribute;
    private readonly List<Expr?> _values = [];

    private AttributeStoreCollector(Node root, string receiver, string attribute)
    {
        _root = root;
        _receiver = receiver;
        _attribute = attribute;
    }

    public static IReadOnlyList<Expr?> Of(Node scopeNode, string receiver, string attribute)
    {
        var collector = new AttributeStoreCollector(scopeNode, receiver, attribute);
        collector.Walk(scopeNode);
        return collector._values;
    }

    public override void VisitAssignStmt(AssignStmt node)
    {
        foreach (var target in node.Targets)
        {
            Target(target, node.Value);
        }
        base.VisitAssignStmt(node);
    }

    public override void VisitAnnAssignStmt(AnnAssignStmt node)
    {
        Target(node.Target, node.Value);
        base.VisitAnnAssignStmt(node);
    }

    public override void VisitAugAssignStmt(AugAssignStmt node)
    {
        Target(node.Target, null);
        base.VisitAugAssignStmt(node);
    }

    /// <summary>Only the scope asked about when it is a function (a class body or lambda given as the scope is not walked).</summary>
    protected override bool Enters(Node scope) => scope == _root && scope is FunctionDefStmt or AsyncFunctionDefStmt;

    private void Target(Expr target, Expr? value)
    {
        switch (target)
        {
            case AttributeExpr { Value: NameExpr owner } attribute when owner.Id == _receiver && attribute.Attr == _attribute:
                _values.Add(value);
                break;
            case TupleExpr or ListExpr or StarredExpr when Mentions(target):
                _values.Add(null);
                break;
        }
    }

    private bool Mentions(Expr target) => target switch
    {
        AttributeExpr { Value: NameExpr owner } attribute => owner.Id == _receiver && attribute.Attr == _attribute,
        TupleExpr tuple => tuple.Elts.Any(Mentions),
        ListExpr list => list.Elts.Any(Mentions),
        StarredExpr starred => Mentions(starred.Value),
        _ => false,
    };
}
