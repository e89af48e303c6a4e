using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// How many positional arguments a call's <c>*value</c> gives, when provably known (FunctionAnalyzer.SafeArguments.cs):
/// a call <c>load(*location, cache_dir=d)</c> with <c>location = (model_id, filename)</c> fills only the first two
/// parameters, so a third one (<c>weights_only</c>) keeps its default.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Names and returned items followed to the displays that give them their length.</summary>
    private const int MaxStarredDepth = 4;

    /// <summary>
    /// The number of positional arguments <paramref name="call"/> passes, its <c>*</c> arguments counted by
    /// <see cref="StarredLength"/>; null when one of them has no known length.
    /// </summary>
    private int? PositionalArgumentCount(CallExpr call)
    {
        var count = 0;
        foreach (var argument in call.Args)
        {
            if (argument is not StarredExpr starred)
            {
                count++;
            }
            else if (_module.CallSiteOf(call) is { } site && StarredLength(_module, starred.Value, EvalContext.At(site), 0) is { } length)
            {
                count += length;
            }
            else
            {
                return null;
            }
        }
        return count;
    }

    /// <summary>
    /// The length of the sequence <paramref name="value"/> holds: a tuple or list display without <c>*</c> items; a name
    /// every binding of which that reaches <paramref name="context"/> is one of those, or the item at one position of a
    /// project function's result, unpacked (<c>source, location = resolve(cfg)</c>), each <c>return</c> of every function
    /// the call can be giving a tuple display whose item there has that length. A name changed in place anywhere in the
    /// module (<c>location.append(...)</c>), any other binding, or lengths that differ: null.
    /// </summary>
    private int? StarredLength(ModuleModel module, Expr value, EvalContext context, int depth)
    {
        if (DisplayItems(value) is { } items)
        {
            return items.Any(i => i is StarredExpr) ? null : items.Count;
        }
        if (value is not NameExpr name || depth >= MaxStarredDepth || module.MutatedNames.Contains(name.Id))
        {
            return null;
        }
        int? length = null;
        var bindings = _program.Resolver.ReachingBindings(name.Id, context);
        foreach (var binding in bindings)
        {
            var bound = binding switch
            {
                { Kind: BindingKind.Assignment, Augments: false, Element: < 0, Value: { } assigned } => StarredLength(module, assigned, EvalContext.Of(binding), depth + 1),
                { Kind: BindingKind.Unpacked, Element: >= 0 and var element, Value: CallExpr call } => ReturnedItemLength(binding.Scope.Module, call, element, depth + 1),
                _ => null,
            };
            if (bound is null || (length is { } known && known != bound))
            {
                return null;
            }
            length = bound;
        }
        return length;
    }

    /// <summary>The length of item <paramref name="element"/> of what <paramref name="call"/> returns, when every function it can be returns tuple displays (<see cref="StarredLength"/>).</summary>
    private int? ReturnedItemLength(ModuleModel module, CallExpr call, int element, int depth)
    {
        if (_program.Index.CallOf(module, call) is not { Functions.IsEmpty: false, Classes.IsEmpty: true, PassesThrough: false, Source: null, Invoked: null } info)
        {
            return null;
        }
        int? length = null;
        foreach (var (unit, _) in info.Functions)
        {
            // A generator's result unpacks what it yields; ReturnArity is 0 for one, and for returns of differing shapes.
            if (unit.ReturnArity <= element)
            {
                return null;
            }
            foreach (var (returned, blocks) in unit.Function!.Returns)
            {
                if (returned is not TupleExpr tuple)
                {
                    continue; // a bare `return`: unpacking its None raises
                }
                var item = tuple.Elts[element];
                var bound = StarredLength(unit.Module, item, new EvalContext(unit.Scope, item.Span.Start, blocks), depth);
                if (bound is null || (length is { } known && known != bound))
                {
                    return null;
                }
                length = bound;
            }
        }
        return length;
    }

    private static IReadOnlyList<Expr>? DisplayItems(Expr value) => value switch
    {
        TupleExpr tuple => tuple.Elts,
        ListExpr list => list.Elts,
        _ => null,
    };
}
