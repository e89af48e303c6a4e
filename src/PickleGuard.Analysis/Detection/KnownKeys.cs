using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// The keys a dict unpacked by <c>**</c> may hold, when every one is known: a dict display of constant string keys, or a
/// local of the function the call is in, bound only to such displays and otherwise only read, unpacked or stored into
/// under constant keys (open_clip's <c>model_kwargs = {}; if args.siglip: model_kwargs["init_logit_scale"] = 2.3</c>,
/// then <c>create_model_and_transforms(args.model, **model_kwargs)</c>): such a <c>**</c> gives no other keyword. Null
/// when a key may be unknown: a parameter (<c>**kwargs</c>), a module's variable (an importer may fill it), a display
/// with a <c>**</c> or a computed key, a store under a computed key, or a use <see cref="FilledDictChecker"/> cannot
/// follow (the dict passed on, <c>update</c>d with a mapping).
/// </summary>
internal static class KnownKeys
{
    /// <summary>The keys <paramref name="unpacked"/>, the operand of a <c>**</c> in <paramref name="scope"/>, may hold; null when not all are known.</summary>
    public static IReadOnlySet<string>? Of(Expr unpacked, Scope scope)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (unpacked is DictExpr display)
        {
            return AddDisplayKeys(display, keys) ? keys : null;
        }
        if (unpacked is not NameExpr { Id: var name } || scope.Kind != ScopeKind.Function || scope.IsGlobal(name) || scope.IsNonlocal(name)
            || scope.BindingsOf(name) is not { Count: > 0 } bindings
            || !bindings.All(b => b is { Kind: BindingKind.Assignment, Augments: false, Element: < 0, Value: DictExpr }))
        {
            return null;
        }
        // The walk also sees the name in nested functions, and their stores count (a closure may fill the dict).
        var fills = FilledDictChecker.Walk(scope.Module, scope.Node, scope, (expr, _) => expr is NameExpr local && local.Id == name);
        if (fills.Escapes || fills.UnknownKeys || !fills.Bound.All(b => b.Value is DictExpr bound && AddDisplayKeys(bound, keys)))
        {
            return null;
        }
        keys.UnionWith(fills.Keys);
        return keys;
    }

    /// <summary>
    /// The value a display of constant string keys gives <paramref name="keyword"/> (null when it leaves it out); false
    /// when one of its keys is not a constant string (or is a <c>**</c>).
    /// </summary>
    public static bool TryValueOf(DictExpr display, string keyword, out Expr? value)
    {
        value = null;
        for (var i = 0; i < display.Keys.Count; i++)
        {
            if (display.Keys[i] is not ConstantExpr { Value.Type: ConstantType.Str } key)
            {
                return false;
            }
            if (value is null && key.Value.AsString == keyword)
            {
                value = display.Values[i];
            }
        }
        return true;
    }

    /// <summary>Adds a display's keys; false when one is not a constant string (or is a <c>**</c>).</summary>
    private static bool AddDisplayKeys(DictExpr display, HashSet<string> keys)
    {
        foreach (var key in display.Keys)
        {
            if (key is not ConstantExpr { Value.Type: ConstantType.Str } constant)
            {
                return false;
            }
            keys.Add(constant.Value.AsString!);
        }
        return true;
    }
}
