using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Dispatch tables read from another module (<c>from checkpoints import DEFAULT_TRANSFER_HOOKS</c>, or
/// <c>checkpoints.DEFAULT_TRANSFER_HOOKS</c>), and a helper that picks an entry of the table its caller hands in
/// (speechbrain's <c>get_default_hook(obj, DEFAULT_TRANSFER_HOOKS)</c>, which returns <c>default_hooks[cls]</c>).
/// </summary>
public sealed partial class ValueResolver
{
    /// <summary>How many <c>from m import TABLE</c> are followed to the module binding the display (re-exports through packages).</summary>
    private const int MaxTableReexports = 4;

    /// <summary>
    /// The module and name a <c>from m import TABLE</c> binding of <paramref name="table"/> reads, when that is the only
    /// binding reaching <paramref name="context"/> and it names a variable of a scanned module; else null.
    /// </summary>
    private (ModuleModel Module, string Name)? ImportedTable(string table, EvalContext context, int reexports)
    {
        if (reexports >= MaxTableReexports || ReachingBindings(table, context) is not [{ Kind: BindingKind.ImportFrom, ImportedName: { } imported }])
        {
            return null;
        }
        var module = _project.LongestModulePrefix(imported, out var rest);
        return module is not null && rest.Length > 0 && !rest.Contains('.') ? (module, rest) : null;
    }

    /// <summary>
    /// <c>checkpoints.HOOKS[kind]</c> (also <c>pkg.checkpoints.HOOKS</c>) on an imported project module: its table
    /// <c>HOOKS</c>, as read there. Null for any other attribute.
    /// </summary>
    private IReadOnlyList<SymbolicValue>? ModuleTableValues(AttributeExpr table, ConstantExpr? key, EvalContext context)
    {
        if (ImportedRoot(table.Value) is not { } root
            || ReachingBindings(root.Id, context) is not [{ Kind: BindingKind.Import or BindingKind.ImportFrom }]
            || Resolve(table.Value, context) is not [ModuleValue { Module: var module }])
        {
            return null;
        }
        return TableValues(table.Attr, key, EvalContext.EndOf(module.ModuleScope), 1);
    }

    /// <summary>The name a dotted name starts with (<c>pkg</c> of <c>pkg.checkpoints</c>); null for any other expression.</summary>
    private static NameExpr? ImportedRoot(Expr owner) => owner switch
    {
        NameExpr name => name,
        AttributeExpr attribute => ImportedRoot(attribute.Value),
        _ => null,
    };

    /// <summary>The entries of the table a name or an imported module's attribute is (nothing for another expression).</summary>
    private IReadOnlyList<SymbolicValue> NamedTableValues(Expr table, ConstantExpr? key, EvalContext context) => table switch
    {
        NameExpr name => TableValues(name.Id, key, context),
        AttributeExpr attribute => ModuleTableValues(attribute, key, context) ?? [],
        _ => [],
    };

    /// <summary>
    /// What a call of the plain function <paramref name="helper"/> gives when a return picks an item of a parameter
    /// (<c>return default_hooks[cls]</c>, <c>return table.get(kind)</c>) and this call passes a dispatch table there: the
    /// table's entries, with what the helper's other returns give (<c>return None</c>). Null when the helper has no
    /// such return or the argument is no table (its items are unknown, as before).
    /// </summary>
    private IReadOnlyList<SymbolicValue>? EntriesPickedAt(FunctionInfo helper, CallExpr call, EvalContext context)
    {
        if (helper.Owner is not null || PickedParameter(helper) is not { } parameter
            || Detection.ArgumentFinder.Find(call, PlainParameter(helper, parameter)).Value is not { } argument
            || NamedTableValues(argument, null, context) is not { Count: > 0 } entries)
        {
            return null;
        }
        var result = new ValueSet();
        result.Add(entries);
        foreach (var (value, blocks) in helper.Returns)
        {
            // `return table.get(kind, fallback)`: the fallback too.
            var other = value is null ? null : PickedFrom(value) is null ? value : value is CallExpr { Args: [_, var fallback] } ? fallback : null;
            if (other is not null)
            {
                result.Add(Resolve(other, new EvalContext(helper.Scope, other.Span.Start, blocks)));
            }
        }
        return result.Result;
    }

    /// <summary>The one parameter the returns of <paramref name="helper"/> pick items of; null when none does, or two do.</summary>
    private static string? PickedParameter(FunctionInfo helper)
    {
        string? picked = null;
        foreach (var (value, _) in helper.Returns)
        {
            if (value is not null && PickedFrom(value) is { } name && IsParameter(helper, name))
            {
                if (picked is not null && picked != name)
                {
                    return null;
                }
                picked = name;
            }
        }
        return picked;
    }

    /// <summary>The name <paramref name="returned"/> takes an item of: <c>name[key]</c> or <c>name.get(key[, default])</c>.</summary>
    private static string? PickedFrom(Expr returned) => returned switch
    {
        SubscriptExpr { Value: NameExpr table } => table.Id,
        CallExpr { Func: AttributeExpr { Attr: "get", Value: NameExpr table }, Args.Count: 1 or 2, Keywords.Count: 0 } => table.Id,
        _ => null,
    };
}
