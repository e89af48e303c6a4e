using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A function whose every <c>return</c> hands back a tuple display of the same length (<c>return url, "data.npy"</c>):
/// unpacking its result (<c>url, file = info(link)</c>) gives each name only what its element may hold, which the
/// summary records by position (<see cref="FunctionSummary.TaintedReturnElements"/>). Ultralytics'
/// <c>get_google_drive_file_info</c> returned a URL built from a response cookie beside a literal file name, and the
/// file name took the cookie's taint.
/// </summary>
internal sealed class ReturnedTuples : OwnBodyWalker
{
    /// <summary>Elements a summary can track by position (one bit each).</summary>
    public const int MaxArity = 64;

    private int _arity = -1; // -1: no tuple returned yet; 0: some return is no tuple of the common length

    private ReturnedTuples()
    {
    }

    /// <summary>The common length of the tuples the unit returns, or 0 when it returns anything else or yields.</summary>
    public static int ArityOf(TaintUnit unit)
    {
        if (unit.LambdaBody is not null)
        {
            return 0;
        }
        var walker = new ReturnedTuples();
        unit.Walk(walker);
        return Math.Max(walker._arity, 0);
    }

    protected override bool Enters(Node scope) => false;

    public override void VisitReturnStmt(ReturnStmt node)
    {
        switch (node.Value)
        {
            case null:
                break; // None: unpacking it raises, so it adds nothing to any element
            case TupleExpr tuple when IsPlain(tuple) && (_arity == -1 || _arity == tuple.Elts.Count):
                _arity = tuple.Elts.Count;
                break;
            default:
                _arity = 0;
                break;
        }
        base.VisitReturnStmt(node);
    }

    private static bool IsPlain(TupleExpr tuple) =>
        tuple.Elts.Count is > 0 and <= MaxArity && tuple.Elts.All(e => e is not StarredExpr);

    public override void VisitYieldExpr(YieldExpr node) => _arity = 0;

    public override void VisitYieldFromExpr(YieldFromExpr node) => _arity = 0;
}
