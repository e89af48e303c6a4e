using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>Collection displays written in the code: <c>(a, b)</c>, <c>[a, b]</c>, <c>{a, b}</c>.</summary>
internal static class Displays
{
    /// <summary>The items of a tuple, list or set display; null for any other expression.</summary>
    public static IReadOnlyList<Expr>? ItemsOf(Expr expr) => expr switch
    {
        TupleExpr tuple => tuple.Elts,
        ListExpr list => list.Elts,
        SetExpr set => set.Elts,
        _ => null,
    };
}
