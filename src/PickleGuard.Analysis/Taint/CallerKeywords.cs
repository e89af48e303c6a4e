using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The keys a function's own <c>**kwargs</c> can hold, when the project shows every call of it: the keywords those calls
/// pass by name (RVC's <c>create_separator(inference_params=params)</c> fills <c>separator_kwargs</c> with
/// <c>inference_params</c> alone). Forwarded on (<c>Separator(model_path=..., **separator_kwargs)</c>), the dict then
/// binds only the callee's parameters of those names (<see cref="FunctionAnalyzer"/>, MapArguments). Null — any key —
/// unless the function is a plain module function (no decorator, no method: a receiver's calls are not all resolved),
/// its body only reads the dict by constant key or forwards it whole (<see cref="PackedArgumentReads.OnlyReadOrForwarded"/>: no key added), the
/// project never uses its name but to call it (<see cref="FactoryReferenceFinder"/>), and every call of that name
/// resolves and some call of it exists. A call's <c>**</c> dict adds its keys when all are known: a local dict
/// (<see cref="KnownKeys"/>), or the calling function's own <c>**kwargs</c> when its callers' keywords are known in turn
/// (a chain of wrappers handing them on, up to <see cref="MaxForwards"/> wrappers above).
/// </summary>
internal static class CallerKeywords
{
    /// <summary>
    /// Wrappers above the function whose <c>**kwargs</c> are followed to their callers. The inner answers are not kept
    /// (only a unit's own, from depth 0, is), so a unit's keys never depend on which unit was asked first.
    /// </summary>
    private const int MaxForwards = 4;

    public static IReadOnlySet<string>? Of(ProjectIndex index, TaintUnit unit) => Of(index, unit, forwards: 0);

    /// <summary>
    /// Whether <paramref name="unit"/> has the shape whose callers' keywords are looked for (a plain module function with
    /// a <c>**</c> parameter); <see cref="ProjectIndex.CallsOfKeywordTakers"/> keeps the calls of these functions' names.
    /// </summary>
    public static bool MayKnow(TaintUnit unit) =>
        unit.KwargIndex >= 0 && unit.Function is { Owner: null, Node: FunctionDefStmt { DecoratorList.Count: 0 } };

    private static IReadOnlySet<string>? Of(ProjectIndex index, TaintUnit unit, int forwards)
    {
        if (!MayKnow(unit) || !PackedArgumentReads.OnlyReadOrForwarded(unit))
        {
            return null;
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var calls = 0;
        // The project's calls by callee name, found while the index resolved them: walking every call of the project per
        // function was most of a stdlib scan's fixpoint (2.5 s instead of 0.6 s), and asking every module's own index by
        // name built those indexes for every module (11 MB) and looked the name up in each.
        foreach (var (site, info) in index.CallsOfKeywordTakers(unit.Name))
        {
            if (info.Functions.IsEmpty)
            {
                return null; // maybe this function, through a receiver or an alias the index did not resolve
            }
            if (!Calls(info, unit))
            {
                continue;
            }
            foreach (var keyword in site.Call.Keywords)
            {
                if (keyword.Arg is { } name)
                {
                    keys.Add(name);
                }
                else if (UnpackedKeys(index, site, keyword.Value, forwards) is { } unpacked)
                {
                    keys.UnionWith(unpacked);
                }
                else
                {
                    return null;
                }
            }
            calls++;
        }
        return calls == 0 || FactoryReferenceFinder.UsedAsValue(index, unit) ? null : keys;
    }

    /// <summary>The keys a <c>**</c> argument of <paramref name="site"/> may give, when all are known (see the class); else null.</summary>
    private static IReadOnlySet<string>? UnpackedKeys(ProjectIndex index, CallSite site, Expr unpacked, int forwards)
    {
        if (KnownKeys.Of(unpacked, site.Scope) is { } known)
        {
            return known;
        }
        return forwards < MaxForwards && index.UnitOfScope(site.Scope) is { } caller && caller.Scope == site.Scope && caller.IsOwnKwargs(unpacked)
            ? Of(index, caller, forwards + 1)
            : null;
    }

    private static bool Calls(CallInfo info, TaintUnit unit)
    {
        foreach (var (callee, _) in info.Functions)
        {
            if (callee == unit)
            {
                return true;
            }
        }
        return false;
    }
}
