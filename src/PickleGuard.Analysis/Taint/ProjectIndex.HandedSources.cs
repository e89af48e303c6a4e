using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Sources handed to a project function as the callable it calls: a get-or-create helper given the client's
/// constructor (beaker's <c>RedisNamespaceManager.clients.get(url, redis.StrictRedis.from_url, url)</c>, whose
/// <c>SyncDict</c> returns <c>createfunc(*args)</c> or the one it made before) returns a Redis client, as
/// <c>redis.StrictRedis.from_url(url)</c> written in place does. The callee's summary decides at each call whether it
/// returns what the parameter gives (FunctionAnalyzer.HandedSources.cs).
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>
    /// The arguments of the call at <paramref name="site"/> that name a client-object source (a callable, not a call's
    /// result) and bind a parameter one of <paramref name="callees"/> calls or passes on; null when there is none. A
    /// plain source needs nothing of this: named without a call (<c>make(requests.get, url)</c>), it is data already.
    /// </summary>
    private HandedSource[]? FindHandedSources(CallSite site, ValueResolver resolver, ReadOnlySpan<(TaintUnit Unit, bool Bound)> callees)
    {
        if (!AnyCallsParameters(callees))
        {
            return null; // most callees call and pass on none of their parameters
        }
        List<HandedSource>? found = null;
        var call = site.Call;
        for (var i = 0; i < call.Args.Count + call.Keywords.Count; i++)
        {
            var argument = CodeFootprint.ArgumentAt(call, i);
            // The cheap test first: most arguments name nothing a source's name ends with.
            var name = argument switch
            {
                Python.NameExpr n => n.Id,
                Python.AttributeExpr a => a.Attr,
                _ => null,
            };
            if (name is null || !_models.Taint.MayBeSource(name) || !BindsCalledParameter(callees, call, i))
            {
                continue;
            }
            foreach (var value in resolver.Resolve(argument, EvalContext.At(site)))
            {
                if (value is ApiValue api && !api.Path.EndsWith(Models.ApiPath.CallMarker, StringComparison.Ordinal)
                    && _apiFacts.GetOrAdd(api.Path, static (path, index) => index.FactsOf(path), this).Source is { Model.Attributes.Count: > 0 } source)
                {
                    (found ??= []).Add(new HandedSource(argument, source.Model, source.Name));
                    break;
                }
            }
        }
        return found?.ToArray();
    }

    private static bool AnyCallsParameters(ReadOnlySpan<(TaintUnit Unit, bool Bound)> callees)
    {
        foreach (var (unit, _) in callees)
        {
            if (unit.Footprint is not { CalledParameters.Count: 0, RelayedParameters.Count: 0 })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the call's argument <paramref name="i"/> binds a parameter that one of <paramref name="callees"/> calls or passes on.</summary>
    private static bool BindsCalledParameter(ReadOnlySpan<(TaintUnit Unit, bool Bound)> callees, Python.CallExpr call, int i)
    {
        foreach (var callee in callees)
        {
            var parameter = ParameterAt(callee, call, i);
            if (CallsParameter(callee.Unit, parameter) || RelaysParameter(callee.Unit, parameter))
            {
                return true;
            }
        }
        return false;
    }
}
