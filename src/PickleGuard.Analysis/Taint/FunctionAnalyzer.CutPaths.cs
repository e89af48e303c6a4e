using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A path with its extension cut off, spelled three ways: <c>filename[:-4]</c>, <c>filename.rsplit(".", 1)[0]</c>,
/// <c>os.path.splitext(filename)[0]</c>. pyro's <c>bart.py</c> writes the decompressed download to the first and loads
/// the second: both name <c>bart_full.pkl</c> when <c>filename</c> ends in <c>bart_full.pkl.bz2</c>. A path built of
/// constants is cut as a string (<see cref="ConstantPath(Expr, int)"/>); a key (<see cref="PathKey"/>) is cut in its
/// last literal, that of the local name's value when the name is bound once.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>The path <paramref name="expr"/> cuts and how, when it is one of the three spellings; else null.</summary>
    private static (Expr Stem, Func<string, string?> Cut)? CutPath(Expr expr)
    {
        switch (expr)
        {
            case SubscriptExpr { Value: var stem, Slice: SliceExpr { Lower: null, Step: null, Upper: UnaryOpExpr { Op: UnaryOperator.USub, Operand: ConstantExpr { Value.Type: ConstantType.Int } count } } }
                when count.Value.AsInteger is var n && n > 0 && n < 64:
                var length = (int)n;
                return (stem, text => text.Length > length ? text[..^length] : null);
            case SubscriptExpr { Slice: ConstantExpr { Value.Type: ConstantType.Int } first, Value: CallExpr split } when first.Value.AsInteger == 0 && SplitStem(split) is { } stem:
                return (stem, WithoutExtension);
            default:
                return null;
        }
    }

    /// <summary>What <c>x.rsplit(".", 1)</c> or <c>os.path.splitext(x)</c> splits.</summary>
    private static Expr? SplitStem(CallExpr call) => call switch
    {
        { Func: AttributeExpr { Attr: "rsplit", Value: var stem }, Args: [ConstantExpr { Value.AsString: "." }, ConstantExpr { Value.Type: ConstantType.Int } once], Keywords.Count: 0 }
            when once.Value.AsInteger == 1 => stem,
        { Func: AttributeExpr { Attr: "splitext", Value: AttributeExpr { Attr: "path", Value: NameExpr { Id: "os" } } }, Args: [var stem], Keywords.Count: 0 } => stem,
        _ => null,
    };

    /// <summary>The text before the last dot of its last segment; null when that segment has none (the cut is elsewhere).</summary>
    private static string? WithoutExtension(string text)
    {
        var dot = text.LastIndexOf('.');
        return dot > 0 && dot > text.LastIndexOf('/') ? text[..dot] : null;
    }

    /// <summary>
    /// The constant path <paramref name="expr"/> names when it cuts one (<see cref="CutPath"/>). The stem is read at the
    /// same depth, as <see cref="SamePath"/> reads what it unwraps: a name bound to a cut of a name bound to a join of a
    /// constant (pyro's shape) is within the depth limit then; a name followed still counts one.
    /// </summary>
    private string? CutConstantPath(Expr expr, int depth) =>
        CutPath(expr) is var (stem, cut) && ConstantPath(stem, depth) is { Length: > 0 } path ? cut(path) : null;

    /// <summary>
    /// The key of a cut path: the stem's key with its last literal cut, or, for a local name bound once, its value's.
    /// Null when neither key ends in a literal the cut applies to.
    /// </summary>
    private (string Text, bool Named)? CutPathKey(Expr expr, int depth, LeafKey leafKey)
    {
        if (CutPath(expr) is not var (stem, cut))
        {
            return null;
        }
        if (PathKey(stem, depth, leafKey) is var (text, named) && CutLastLiteral(text, cut) is { } kept)
        {
            return (kept, named);
        }
        return stem is NameExpr name && IsLocal(name.Id) && ValueBoundOnce(name) is { } value
            && PathKey(value, depth + 1, leafKey) is var (held, heldNamed) && CutLastLiteral(held, cut) is { } cutHeld
            ? (cutHeld, heldNamed)
            : null;
    }

    /// <summary>A key ending in a literal (<c>join(root, 'a.pkl.bz2')</c>, <c>'a.pkl.bz2'</c>) with that literal cut.</summary>
    private static string? CutLastLiteral(string key, Func<string, string?> cut)
    {
        var close = key.EndsWith("')", StringComparison.Ordinal) ? key.Length - 2 : key.EndsWith('\'') ? key.Length - 1 : -1;
        var open = close > 0 ? key.LastIndexOf('\'', close - 1) : -1;
        return open >= 0 && cut(key[(open + 1)..close]) is { } kept ? key[..(open + 1)] + kept + key[close..] : null;
    }
}
