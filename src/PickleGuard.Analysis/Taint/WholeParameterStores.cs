using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The receiver attributes a method stores a parameter in as it is (<c>self.record = record</c>): what such an
/// attribute holds is the object passed, so data held in attributes of that object (<see cref="OriginKey.HeldIn"/>)
/// stays held there. A summary says only that the parameter reaches the attribute; that it is the object itself is
/// known here, and only when the body uses the parameter in no other way that could put some of it there: the
/// attribute is stored nowhere else in the body, and the parameter is otherwise only read by attribute outside any
/// call (never rebound, handed on, returned or stored elsewhere).
/// </summary>
internal sealed class WholeParameterStores : OwnBodyWalker
{
    private readonly string _receiver;
    private readonly string _parameter;
    private readonly HashSet<string> _whole = new(StringComparer.Ordinal);
    private readonly HashSet<string> _otherStores = new(StringComparer.Ordinal);
    private int _callDepth;
    private bool _usedOtherwise;

    private WholeParameterStores(string receiver, string parameter)
    {
        _receiver = receiver;
        _parameter = parameter;
    }

    /// <summary>The attributes of <paramref name="unit"/>'s receiver holding its parameter <paramref name="parameter"/> itself (empty: none known).</summary>
    public static IReadOnlySet<string> Of(TaintUnit unit, int parameter)
    {
        if (!unit.TakesReceiver || parameter <= 0 || parameter >= unit.Parameters.Length || parameter == unit.VarargIndex || parameter == unit.KwargIndex)
        {
            return EmptySet;
        }
        var walker = new WholeParameterStores(unit.Parameters[0].ArgValue, unit.Parameters[parameter].ArgValue);
        unit.Walk(walker);
        if (walker._usedOtherwise)
        {
            return EmptySet;
        }
        walker._whole.ExceptWith(walker._otherStores);
        return walker._whole;
    }

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    public override void VisitAssignStmt(AssignStmt node)
    {
        if (node is { Targets: [AttributeExpr { Value: NameExpr owner } target], Value: NameExpr value }
            && owner.Id == _receiver && value.Id == _parameter)
        {
            _whole.Add(target.Attr);
            return;
        }
        base.VisitAssignStmt(node);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        _callDepth++;
        base.VisitCallExpr(node);
        _callDepth--;
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (node.Value is NameExpr owner)
        {
            if (owner.Id == _receiver && node.Ctx != ExprContext.Load)
            {
                _otherStores.Add(node.Attr);
            }
            else if (owner.Id == _parameter)
            {
                _usedOtherwise |= _callDepth > 0 || node.Ctx != ExprContext.Load;
            }
            return;
        }
        base.VisitAttributeExpr(node);
    }

    public override void VisitNameExpr(NameExpr node) => _usedOtherwise |= node.Id == _parameter;

    protected override bool Enters(Node scope) => true;
}
