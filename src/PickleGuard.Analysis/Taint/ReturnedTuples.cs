using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A function whose every <c>return</c> hands back a tuple display of the same length (<c>return url, "data.npy"</c>):
/// unpacking its result (<c>url, file = info(link)</c>) gives each name only what its element may hold, which the
/// summary records by position (<see cref="FunctionSummary.TaintedReturnElements"/>). Ultralytics'
/// <c>get_google_drive_file_info</c> returned a URL built from a response cookie beside a literal file name, and the
/// file name took the cookie's taint. The same for a generator whose every <c>yield</c> is such a tuple, unpacked by
/// the loop iterating it (<c>yield name, urlopen(url).read()</c>, then <c>for name, body in items()</c>: nltk). And a
/// function whose every <c>return</c> is a dict display with constant keys: each key read back from its result gives
/// only what that key may hold (<see cref="KeysOf"/>).
/// </summary>
internal sealed class ReturnedTuples : OwnBodyWalker
{
    /// <summary>Elements a summary can track by position (one bit each).</summary>
    public const int MaxArity = 64;

    // -1: no tuple yet; 0: some value is no tuple of the common length.
    private int _returned = -1;
    private int _yielded = -1;
    private bool _yields;
    private bool _returnsValue;

    private ReturnedTuples()
    {
    }

    /// <summary>
    /// The common length of the tuples the unit returns (0 when it returns anything else or is a generator), and of
    /// those it yields (0 when it yields anything else, yields from another iterable, or returns a value).
    /// </summary>
    public static (int Returned, int Yielded) AritiesOf(TaintUnit unit)
    {
        if (unit.LambdaBody is not null)
        {
            return (0, 0);
        }
        var walker = new ReturnedTuples();
        unit.Walk(walker);
        return walker._yields
            ? (0, walker._returnsValue ? 0 : Math.Max(walker._yielded, 0))
            : (Math.Max(walker._returned, 0), 0);
    }

    /// <summary>The keys of the dict displays every <c>return</c> of <paramref name="unit"/> hands back (<see cref="TaintUnit.ReturnedKeys"/>).</summary>
    public static string[] KeysOf(TaintUnit unit)
    {
        if (unit.Function is not { Node: FunctionDefStmt or AsyncFunctionDefStmt } function)
        {
            return [];
        }
        List<string>? keys = null;
        foreach (var (value, _) in function.Returns)
        {
            if (value is null or ConstantExpr { Value.Type: ConstantType.None })
            {
                continue; // subscripting None raises: no data reaches a read
            }
            if (value is not DictExpr dict)
            {
                return [];
            }
            foreach (var key in dict.Keys)
            {
                if (key is null || FunctionAnalyzer.ConstantKey(key) is not { } part)
                {
                    return []; // a `**` splat or a computed key: any key may hold anything
                }
                keys ??= [];
                if (!keys.Contains(part))
                {
                    keys.Add(part);
                }
            }
        }
        return keys is { Count: > 0 and <= MaxArity } ? [.. keys] : [];
    }

    protected override bool Enters(Node scope) => false;

    public override void VisitReturnStmt(ReturnStmt node)
    {
        _returnsValue |= node.Value is not null;
        _returned = Common(_returned, node.Value, noneAllowed: true);
        base.VisitReturnStmt(node);
    }

    public override void VisitYieldExpr(YieldExpr node)
    {
        _yields = true;
        _yielded = Common(_yielded, node.Value, noneAllowed: false);
        base.VisitYieldExpr(node);
    }

    public override void VisitYieldFromExpr(YieldFromExpr node)
    {
        _yields = true;
        _yielded = 0;
        base.VisitYieldFromExpr(node);
    }

    /// <summary>The common length so far after one more value (a bare <c>return</c> gives None: unpacking it raises, so it adds nothing).</summary>
    private static int Common(int arity, Expr? value, bool noneAllowed) => value switch
    {
        null when noneAllowed => arity,
        TupleExpr tuple when IsPlain(tuple) && (arity == -1 || arity == tuple.Elts.Count) => tuple.Elts.Count,
        _ => 0,
    };

    private static bool IsPlain(TupleExpr tuple) =>
        tuple.Elts.Count is > 0 and <= MaxArity && tuple.Elts.All(e => e is not StarredExpr);
}
