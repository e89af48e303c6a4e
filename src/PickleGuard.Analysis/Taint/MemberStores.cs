using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The members (attributes, items) one function's own code stores into, as chains of segments from their root:
/// <c>config.PATHS["tok"] = p</c> is <c>.PATHS</c>, <c>['tok']</c>. Stores are the targets of assignments (augmented
/// and annotated ones too), <c>del</c>, loops and <c>with</c> (members in a store or delete context), the mapping
/// methods that change items (<c>config.PATHS.update(...)</c> stores <c>[*]</c>, any item) and
/// <c>setattr</c>/<c>delattr</c> (<c>.*</c>, any attribute). An item of a key that is not a constant is <c>[*]</c>.
/// </summary>
internal sealed class MemberStores : OwnBodyWalker
{
    /// <summary>The segment of any item (a key that is not a constant, or a method that changes items).</summary>
    public const string AnyItem = "[*]";

    /// <summary>The segment of any attribute (<c>setattr</c>, <c>delattr</c>).</summary>
    public const string AnyAttribute = ".*";

    private static readonly HashSet<string> ItemChangers = new(StringComparer.Ordinal)
    {
        "update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__",
    };

    private readonly Node? _root;
    private readonly List<List<string>> _stores = [];

    private MemberStores(Node? root) => _root = root;

    /// <summary>The member stores of <paramref name="unit"/>'s own body (not its nested functions, classes or lambdas).</summary>
    public static List<List<string>> Of(TaintUnit unit)
    {
        var walker = new MemberStores(unit.Function?.Node);
        unit.Walk(walker);
        return walker._stores;
    }

    /// <summary>
    /// The segments of a member chain, from the root out (<c>['.config', '.PATHS', "['tok']"]</c>), and its root name
    /// (null when the root is not a name); null when <paramref name="expr"/> is no attribute or item.
    /// </summary>
    public static (string? Root, List<string> Segments)? Chain(Expr expr)
    {
        var segments = new List<string>();
        var current = expr;
        while (true)
        {
            switch (current)
            {
                case AttributeExpr attribute:
                    segments.Add("." + attribute.Attr);
                    current = attribute.Value;
                    continue;
                case SubscriptExpr item:
                    segments.Add(ItemSegment(item.Slice) ?? AnyItem);
                    current = item.Value;
                    continue;
            }
            break;
        }
        if (segments.Count == 0)
        {
            return null;
        }
        segments.Reverse();
        return (current is NameExpr name ? name.Id : null, segments);
    }

    /// <summary>The segment of an item of constant key (<c>['tok']</c>, <c>[0]</c>), else null.</summary>
    public static string? ItemSegment(Expr key) => key switch
    {
        ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } text } } => $"['{text}']",
        ConstantExpr { Value: { Type: ConstantType.Int } number } => $"[{number.AsInteger}]",
        _ => null,
    };

    protected override bool Enters(Node scope) => scope == _root;

    /// <summary>A member stored into or deleted: a target of any statement that binds (its context says so).</summary>
    public override void VisitAttributeExpr(AttributeExpr node)
    {
        Store(node, node.Ctx);
        base.VisitAttributeExpr(node);
    }

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        Store(node, node.Ctx);
        base.VisitSubscriptExpr(node);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        switch (node.Func)
        {
            case AttributeExpr method when ItemChangers.Contains(method.Attr):
                StoreInto(method.Value, AnyItem);
                break;
            case NameExpr { Id: "setattr" or "delattr" } when node.Args.Count > 0:
                StoreInto(node.Args[0], AnyAttribute);
                break;
        }
        base.VisitCallExpr(node);
    }

    /// <summary>A store of <paramref name="segment"/> into what <paramref name="owner"/> holds (a name, a member, or any other value).</summary>
    private void StoreInto(Expr owner, string segment)
    {
        var segments = Chain(owner)?.Segments ?? [];
        segments.Add(segment);
        _stores.Add(segments);
    }

    private void Store(Expr member, ExprContext context)
    {
        if (context != ExprContext.Load && Chain(member) is { } chain)
        {
            _stores.Add(chain.Segments);
        }
    }
}
