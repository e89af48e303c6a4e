using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Whether a name bound to a dict display is only ever read by constant keys in a scope's tree (nested functions
/// included: a closure could change it): every load of the name is <c>name["key"]</c>, nothing stores into it, deletes
/// from it, calls its methods or passes it on. Then <c>name["key"]</c> is the value the display put under that key.
/// </summary>
internal sealed class ConstantLookupChecker : AstWalker
{
    private readonly string _name;
    private bool _otherUse;

    private ConstantLookupChecker(string name) => _name = name;

    public static bool OnlyReadByConstantKeys(Node scopeNode, string name)
    {
        var checker = new ConstantLookupChecker(name);
        checker.Walk(scopeNode);
        return !checker._otherUse;
    }

    /// <summary>The text of a constant subscript key (a string, an integer or bytes), else null.</summary>
    public static object? KeyOf(Expr slice) => slice switch
    {
        ConstantExpr { Value.Type: ConstantType.Str } c => c.Value.AsString,
        ConstantExpr { Value.Type: ConstantType.Int } c => c.Value.AsInteger,
        _ => null,
    };

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (node.Value is NameExpr { Ctx: ExprContext.Load } name && name.Id == _name && node.Ctx == ExprContext.Load && KeyOf(node.Slice) is not null)
        {
            Walk(node.Slice);
            return;
        }
        base.VisitSubscriptExpr(node);
    }

    public override void VisitNameExpr(NameExpr node)
    {
        // A store is a (re)binding, which the reaching bindings account for; any other load or a `del` is a use this
        // check cannot follow.
        _otherUse |= node.Id == _name && node.Ctx != ExprContext.Store;
    }
}
