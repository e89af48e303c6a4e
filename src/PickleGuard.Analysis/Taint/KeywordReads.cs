using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The keys a function reads from its <c>**kwargs</c> when it reads them only by constant key
/// (<c>kwargs.pop("job_data", default)</c>, <c>kwargs.get("k")</c>, <c>kwargs["k"]</c>, <c>"k" in kwargs</c>; a
/// <c>kwargs.pop("k")</c> whose value is dropped reads nothing): an
/// argument passed under another keyword (rq's <c>enqueue(..., pipeline=pipe)</c> with a Redis pipeline) never
/// reaches what the function reads, so it brings nothing (<see cref="FunctionAnalyzer"/>, MapArguments). Null when the
/// function uses the mapping otherwise: passes it on, iterates it, copies it, rebinds it, or a nested function or
/// lambda uses it.
/// </summary>
internal sealed class KeywordReads : OwnBodyWalker
{
    private static readonly HashSet<string> KeyedReaders = new(StringComparer.Ordinal) { "pop", "get", "setdefault" };

    private readonly string _kwargs;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private bool _usedOtherwise;

    private KeywordReads(string kwargs) => _kwargs = kwargs;

    /// <summary>The keys <paramref name="unit"/> reads from its <c>**</c> parameter, or null (see the class).</summary>
    public static IReadOnlySet<string>? Of(TaintUnit unit)
    {
        if (unit.KwargIndex < 0 || unit.Scope.BindingsOf(unit.Parameters[unit.KwargIndex].ArgValue).Count != 1)
        {
            return null;
        }
        var reads = new KeywordReads(unit.Parameters[unit.KwargIndex].ArgValue);
        unit.Walk(reads);
        return reads._usedOtherwise ? null : reads._keys;
    }

    public override void VisitExprStmt(ExprStmt node)
    {
        // `kwargs.pop("pipeline", None)` as a statement takes the key out and drops its value: nothing is read.
        if (node.Value is CallExpr { Func: AttributeExpr { Attr: "pop", Value: NameExpr owner }, Args: [ConstantExpr { Value.Type: ConstantType.Str }, ..] } call
            && owner.Id == _kwargs)
        {
            WalkArguments(call, from: 1);
            return;
        }
        base.VisitExprStmt(node);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (node.Func is AttributeExpr { Value: NameExpr owner } method && owner.Id == _kwargs)
        {
            if (!KeyedReaders.Contains(method.Attr) || node.Args.Count == 0 || !AddKey(node.Args[0]))
            {
                _usedOtherwise = true;
            }
            WalkArguments(node, from: 1);
            return;
        }
        base.VisitCallExpr(node);
    }

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (node.Value is NameExpr owner && owner.Id == _kwargs)
        {
            _usedOtherwise |= node.Ctx != ExprContext.Load || !AddKey(node.Slice);
            return;
        }
        base.VisitSubscriptExpr(node);
    }

    public override void VisitCompareExpr(CompareExpr node)
    {
        // `"k" in kwargs` tests a key: no value of the mapping is read.
        if (node is { Comparators: [NameExpr owner], Ops: [CompareOperator.In or CompareOperator.NotIn] } && owner.Id == _kwargs
            && node.Left is ConstantExpr { Value.Type: ConstantType.Str })
        {
            return;
        }
        base.VisitCompareExpr(node);
    }

    public override void VisitNameExpr(NameExpr node) => _usedOtherwise |= node.Id == _kwargs;

    // A nested function or lambda may use the mapping where this walk does not look.
    protected override bool Enters(Node scope)
    {
        _usedOtherwise = true;
        return false;
    }

    private bool AddKey(Expr key)
    {
        if (key is ConstantExpr { Value.Type: ConstantType.Str } constant)
        {
            _keys.Add(constant.Value.AsString!);
            return true;
        }
        return false;
    }

    private void WalkArguments(CallExpr node, int from)
    {
        for (var i = from; i < node.Args.Count; i++)
        {
            Walk(node.Args[i]);
        }
        foreach (var keyword in node.Keywords)
        {
            Walk(keyword.Value);
        }
    }
}
