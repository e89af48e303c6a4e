using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a function reads from its packed parameters when it reads them only by constant key or index: from
/// <c>**kwargs</c> (<c>kwargs.pop("job_data", default)</c>, <c>kwargs.get("k")</c>, <c>kwargs["k"]</c>,
/// <c>"k" in kwargs</c>; a <c>kwargs.pop("k")</c> whose value is dropped reads nothing), and from <c>*args</c>
/// (<c>args[1]</c>). An argument passed under another keyword or at another position (rq's
/// <c>enqueue(..., pipeline=pipe)</c> with a Redis pipeline) never reaches what the function reads, so it brings
/// nothing (<see cref="FunctionAnalyzer"/>, MapArguments). Null when the function uses the mapping or tuple otherwise:
/// passes it on, iterates it, copies it, rebinds it, measures it, or a nested function or lambda uses it. The same
/// for a plain parameter the function reads as a mapping (<c>def run(bundle): loads(bundle["function"])</c>): a dict
/// whose other items hold data brings only those items (<see cref="FunctionAnalyzer"/>, KeepReadItems).
/// </summary>
internal sealed class PackedArgumentReads : OwnBodyWalker
{
    private static readonly HashSet<string> KeyedReaders = new(StringComparer.Ordinal) { "pop", "get", "setdefault" };

    private readonly string _packed;
    private readonly bool _positional;

    /// <summary>
    /// <see cref="OnlyReadOrForwarded"/>'s question: whether keys are only read, never added; forwarding the mapping
    /// whole (<c>f(**kwargs)</c>) and testing a computed key are then no other use, <c>setdefault</c> is.
    /// </summary>
    private readonly bool _forwarding;

    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private bool _usedOtherwise;

    private PackedArgumentReads(string packed, bool positional, bool forwarding = false) =>
        (_packed, _positional, _forwarding) = (packed, positional, forwarding);

    /// <summary>The keys <paramref name="unit"/> reads from its <c>**</c> parameter, or null (see the class).</summary>
    public static IReadOnlySet<string>? KeywordsOf(TaintUnit unit) => Of(unit, unit.KwargIndex, positional: false);

    /// <summary>The positions (<c>"0"</c>, <c>"1"</c>, ...) <paramref name="unit"/> reads from its <c>*</c> parameter, or null.</summary>
    public static IReadOnlySet<string>? PositionsOf(TaintUnit unit) => Of(unit, unit.VarargIndex, positional: true);

    /// <summary>The keys <paramref name="unit"/> reads from its plain parameter <paramref name="parameter"/> read as a mapping, or null.</summary>
    public static IReadOnlySet<string>? KeysOf(TaintUnit unit, int parameter) => Of(unit, parameter, positional: false);

    /// <summary>
    /// Whether <paramref name="unit"/> uses its <c>**</c> parameter only by reading constant keys (<c>get</c>, <c>pop</c>,
    /// <c>kwargs["k"]</c>, <c>k in kwargs</c>) or by forwarding it whole (<c>f(**kwargs)</c>): no key is added
    /// (<c>kwargs["k"] = v</c>, <c>setdefault</c>, <c>update</c>) and no other code sees it (<see cref="CallerKeywords"/>).
    /// </summary>
    public static bool OnlyReadOrForwarded(TaintUnit unit) => Walked(unit, unit.KwargIndex, positional: false, forwarding: true) is not null;

    private static IReadOnlySet<string>? Of(TaintUnit unit, int parameter, bool positional) => Walked(unit, parameter, positional, forwarding: false);

    private static IReadOnlySet<string>? Walked(TaintUnit unit, int parameter, bool positional, bool forwarding)
    {
        if (parameter < 0 || unit.Scope.BindingsOf(unit.Parameters[parameter].ArgValue).Count != 1)
        {
            return null;
        }
        var reads = new PackedArgumentReads(unit.Parameters[parameter].ArgValue, positional, forwarding);
        unit.Walk(reads);
        return reads._usedOtherwise ? null : reads._keys;
    }

    public override void VisitExprStmt(ExprStmt node)
    {
        // `kwargs.pop("pipeline", None)` as a statement takes the key out and drops its value: nothing is read.
        if (!_positional && node.Value is CallExpr { Func: AttributeExpr { Attr: "pop", Value: NameExpr owner }, Args: [ConstantExpr { Value.Type: ConstantType.Str }, ..] } call
            && owner.Id == _packed)
        {
            WalkArguments(call, from: 1);
            return;
        }
        base.VisitExprStmt(node);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (node.Func is AttributeExpr { Value: NameExpr owner } method && owner.Id == _packed)
        {
            if (_positional || !KeyedReaders.Contains(method.Attr) || _forwarding && method.Attr == "setdefault" || node.Args.Count == 0 || !AddKey(node.Args[0]))
            {
                _usedOtherwise = true;
            }
            WalkArguments(node, from: 1);
            return;
        }
        if (_forwarding && node.Keywords.Any(IsForwarded))
        {
            Walk(node.Func);
            WalkArguments(node, from: 0, except: IsForwarded);
            return;
        }
        base.VisitCallExpr(node);
    }

    private bool IsForwarded(Keyword keyword) => keyword is { Arg: null, Value: NameExpr forwarded } && forwarded.Id == _packed;

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (node.Value is NameExpr owner && owner.Id == _packed)
        {
            _usedOtherwise |= node.Ctx != ExprContext.Load || !AddKey(node.Slice);
            return;
        }
        base.VisitSubscriptExpr(node);
    }

    public override void VisitCompareExpr(CompareExpr node)
    {
        // `"k" in kwargs` tests a key: no value of the mapping is read.
        if (!_positional && node is { Comparators: [NameExpr owner], Ops: [CompareOperator.In or CompareOperator.NotIn] } && owner.Id == _packed)
        {
            if (node.Left is ConstantExpr { Value.Type: ConstantType.Str })
            {
                return;
            }
            if (_forwarding)
            {
                Walk(node.Left); // a computed key tested adds none
                return;
            }
        }
        base.VisitCompareExpr(node);
    }

    public override void VisitNameExpr(NameExpr node) => _usedOtherwise |= node.Id == _packed;

    // A nested function or lambda may use the mapping where this walk does not look.
    protected override bool Enters(Node scope)
    {
        _usedOtherwise = true;
        return false;
    }

    private bool AddKey(Expr key)
    {
        switch (key)
        {
            case ConstantExpr { Value.Type: ConstantType.Str } constant when !_positional:
                _keys.Add(constant.Value.AsString!);
                return true;
            case ConstantExpr { Value.Type: ConstantType.Int } index when _positional && index.Value.AsInteger.Sign >= 0 && index.Value.AsInteger < int.MaxValue:
                _keys.Add(index.Value.AsInteger.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return true;
            default:
                return false; // a computed key, or a negative index (counted from an end this walk does not know)
        }
    }

    private void WalkArguments(CallExpr node, int from, Func<Keyword, bool>? except = null)
    {
        for (var i = from; i < node.Args.Count; i++)
        {
            Walk(node.Args[i]);
        }
        foreach (var keyword in node.Keywords)
        {
            if (except is null || !except(keyword))
            {
                Walk(keyword.Value);
            }
        }
    }
}
