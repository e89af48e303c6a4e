using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Whether a name bound to a dict display is only ever read by constant keys in a scope's tree (nested functions
/// included: a closure could change it): every load of the name is <c>name["key"]</c>, nothing stores into it — but
/// under another constant key than the one read —, deletes from it, calls its methods or passes it on. Then
/// <c>name["key"]</c> is the value the display put under that key. Or, looser, only ever read as a table
/// (<see cref="OnlyReadAsTable"/>): then any lookup yields one of its values.
/// </summary>
internal sealed class ConstantLookupChecker : AstWalker
{
    /// <summary>Methods that read a dict without changing it.</summary>
    private static readonly HashSet<string> Readers = new(StringComparer.Ordinal) { "get", "keys", "values", "items" };

    private readonly string _name;

    /// <summary>
    /// The key read (<see cref="OnlyReadByConstantKeys"/>: stores under other constant keys leave it as it was), or null
    /// for a table, which any key may read (<see cref="OnlyReadAsTable"/>).
    /// </summary>
    private readonly object? _readKey;
    private bool _otherUse;

    private ConstantLookupChecker(string name, object? readKey) => (_name, _readKey) = (name, readKey);

    private bool AnyKey => _readKey is null;

    /// <summary>Whether <paramref name="name"/> is read by constant keys only, and stored into under other constant keys than <paramref name="readKey"/> only.</summary>
    public static bool OnlyReadByConstantKeys(Node scopeNode, string name, object readKey)
    {
        var checker = new ConstantLookupChecker(name, readKey);
        checker.Walk(scopeNode);
        return !checker._otherUse;
    }

    /// <summary>
    /// Whether the name is only ever read as a table in the scope's tree: <c>name[key]</c> with any key,
    /// <c>name.get(...)</c>/<c>keys()</c>/<c>values()</c>/<c>items()</c>, <c>key in name</c>, <c>len(name)</c> — never
    /// stored into, passed on or changed (then every value it yields is one its display put there).
    /// </summary>
    public static bool OnlyReadAsTable(Node scopeNode, string name)
    {
        var checker = new ConstantLookupChecker(name, readKey: null);
        checker.Walk(scopeNode);
        return !checker._otherUse;
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (AnyKey && IsName(node.Func is AttributeExpr { Attr: var method } reader && Readers.Contains(method) ? reader.Value : null))
        {
            WalkList(node.Args);
            WalkList(node.Keywords);
            return;
        }
        if (AnyKey && node.Func is NameExpr { Id: "len" } && node.Args.Count == 1 && IsName(node.Args[0]))
        {
            return;
        }
        base.VisitCallExpr(node);
    }

    public override void VisitCompareExpr(CompareExpr node)
    {
        if (AnyKey && node.Ops is [CompareOperator.In or CompareOperator.NotIn] && IsName(node.Comparators[0]))
        {
            Walk(node.Left);
            return;
        }
        base.VisitCompareExpr(node);
    }

    private bool IsName(Expr? expr) => expr is NameExpr { Ctx: ExprContext.Load } name && name.Id == _name;

    /// <summary>The text of a constant subscript key (a string, an integer or bytes), else null.</summary>
    public static object? KeyOf(Expr slice) => slice switch
    {
        ConstantExpr { Value.Type: ConstantType.Str } c => c.Value.AsString,
        ConstantExpr { Value.Type: ConstantType.Int } c => c.Value.AsInteger,
        _ => null,
    };

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (IsName(node.Value) && (node.Ctx == ExprContext.Load && (AnyKey || KeyOf(node.Slice) is not null)
            || node.Ctx == ExprContext.Store && !AnyKey && KeyOf(node.Slice) is { } stored && !Equals(stored, _readKey)))
        {
            Walk(node.Slice);
            return;
        }
        base.VisitSubscriptExpr(node);
    }

    /// <summary><c>[f(x) for x in name]</c>: iterating reads the items and changes nothing.</summary>
    public override void VisitComprehension(Comprehension node)
    {
        if (!IsName(node.Iter))
        {
            Walk(node.Iter);
        }
        Walk(node.Target);
        WalkList(node.Ifs);
    }

    public override void VisitNameExpr(NameExpr node)
    {
        // A store is a (re)binding, which the reaching bindings account for; any other load or a `del` is a use this
        // check cannot follow.
        _otherUse |= node.Id == _name && node.Ctx != ExprContext.Store;
    }
}
