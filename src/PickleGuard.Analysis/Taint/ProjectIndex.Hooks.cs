using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Decoder hooks (docs/taint.md): a decoding call (<c>json.loads(s, object_hook=f)</c>, json_tricks'
/// <c>loads(s, obj_pairs_hooks=[f, g])</c>, <c>json.JSONDecoder(object_hook=f).decode(s)</c>) calls the project's
/// hooks with what it decodes. The hooks are found as callbacks are (<see cref="Callables"/>): a function, a bound
/// method, a lambda, a local name bound to one, a partial of one; each item of a list or tuple display, written there
/// or bound once to a local name.
/// </summary>
internal sealed partial class ProjectIndex
{
    private CalledHooks? FindHooks(CallSite site, ApiValue api, HookModel model, ValueResolver resolver)
    {
        var (call, context) = model.OnConstructor ? (api.Constructor, api.Constructor is { } made ? ContextOf(made, site) : default) : (site.Call, EvalContext.At(site));
        if (call is null)
        {
            return null;
        }
        List<(TaintUnit, int)>? units = null;
        foreach (var keyword in model.Keywords)
        {
            var selector = new ArgumentSelector(null, keyword);
            var (value, where) = (ArgumentFinder.Find(call, selector) is (ArgumentKind.Found, { } given) ? given : null, context);
            if (model.OnConstructor && api.ViaClass is { } subclass)
            {
                // A project subclass's own `__init__` gives the library's the hook (`super().__init__(object_hook=self.hook)`),
                // or hands on the one its construction is given.
                (value, where) = SuperInitArguments.WrittenInInit(subclass, selector) is var (written, superCall)
                    ? (written, ContextOf(superCall, site))
                    : (SuperInitArguments.Find(subclass, call, selector) switch
                    {
                        null => value, // no `__init__` of its own: the construction's arguments are the library's
                        (ArgumentKind.Found, { } handedOn) => handedOn,
                        _ => null,
                    }, context);
            }
            if (value is null)
            {
                continue;
            }
            foreach (var hook in HookItems(value, where, resolver))
            {
                foreach (var callable in Callables(hook, where, resolver, 0))
                {
                    (units ??= []).Add(callable);
                }
            }
        }
        if (model.DecoderClass is { } decoder && !model.OnConstructor)
        {
            foreach (var callable in DecoderClassHooks(site, model, decoder, resolver))
            {
                (units ??= []).Add(callable);
            }
        }
        return units is null ? null : new CalledHooks(model, [.. units.Distinct()]);
    }

    /// <summary>
    /// <c>json.loads(s, cls=TaggedDecoder)</c> decodes with <c>TaggedDecoder(**other keywords).decode(s)</c>: the hooks a
    /// project class (or a project base of it) writes in its <c>__init__</c>'s call of its base's
    /// (<c>super().__init__(object_hook=self.tagged)</c>), and its own <c>decode</c>/<c>raw_decode</c>, each getting the data
    /// after <c>self</c>. The call's own hook keywords reach the class's constructor as they are (found by the caller).
    /// </summary>
    private IEnumerable<(TaintUnit Unit, int First)> DecoderClassHooks(CallSite site, HookModel model, DecoderClassModel decoder, ValueResolver resolver)
    {
        if (ArgumentFinder.Find(site.Call, new ArgumentSelector(null, decoder.Keyword)) is not (ArgumentKind.Found, { } given))
        {
            yield break;
        }
        foreach (var value in resolver.Resolve(given, EvalContext.At(site)))
        {
            if (value is not ClassValue { Class: var cls })
            {
                continue; // a library class: its hooks are not the project's
            }
            var chain = resolver.ClassAndBases(cls);
            foreach (var keyword in model.Keywords)
            {
                var selector = new ArgumentSelector(null, keyword);
                if (chain.Select(c => SuperInitArguments.WrittenInInit(c, selector)).FirstOrDefault(w => w is not null) is var (written, superCall))
                {
                    var where = ContextOf(superCall, site);
                    foreach (var hook in HookItems(written, where, resolver))
                    {
                        foreach (var callable in Callables(hook, where, resolver, 0))
                        {
                            yield return callable;
                        }
                    }
                }
            }
            foreach (var name in decoder.Methods)
            {
                // The class's own override or a project base's: the first in the chain that defines the method.
                if (chain.Select(c => c.BodyScope.BindingsOf(name)).FirstOrDefault(b => b.Count > 0) is [{ Function: { } method }]
                    && UnitOf(method) is { } unit)
                {
                    yield return (unit, unit.TakesReceiver ? 1 : 0);
                }
            }
        }
    }

    /// <summary>The hooks one argument gives: each item of a list or tuple display (written there or bound once to a local name never changed in place), else the argument itself.</summary>
    private static IReadOnlyList<Expr> HookItems(Expr value, EvalContext context, ValueResolver resolver)
    {
        var display = value is NameExpr name && !context.Module.MutatedNames.Contains(name.Id)
            && resolver.ReachingBindings(name.Id, context) is [{ Kind: BindingKind.Assignment, Augments: false, Value: ListExpr or TupleExpr } binding]
            ? binding.Value
            : value;
        return display switch
        {
            ListExpr list => list.Elts,
            TupleExpr tuple => tuple.Elts,
            _ => [value],
        };
    }

    /// <summary>Where <paramref name="call"/> is made: in <paramref name="site"/>'s module or another (a decoder made at another module's top level).</summary>
    private EvalContext ContextOf(CallExpr call, CallSite site)
    {
        var made = site.Scope.Module.CallSiteOf(call) ?? _project.Modules.Select(m => m.CallSiteOf(call)).FirstOrDefault(s => s is not null);
        return EvalContext.At(made ?? site);
    }
}

/// <summary>The project's hooks a decoding call calls (<see cref="HookModel"/>), each with the index of the parameter that gets the decoded data.</summary>
internal sealed record CalledHooks(HookModel Model, (TaintUnit Unit, int First)[] Units);
