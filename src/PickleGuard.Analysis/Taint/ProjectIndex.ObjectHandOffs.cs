using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A parameter handed on to the helper that calls the method (<c>def get(server): return recv_value(server)</c>, with
/// <c>recv_value</c> calling <c>server.recv(...)</c>): the methods a function calls on a parameter include those its
/// project helpers call on the parameter it is passed as (<see cref="MaxObjectHandOffs"/> hand-offs deep), so a call
/// passing an object of a known class maps them (ProjectIndex.ObjectMethods.cs); each helper on the way gets an input
/// of its own for the method (<see cref="AddObjectMethodInput"/>), which the function handing the parameter on gives
/// its own at the call (FunctionAnalyzer.ObjectMethods.cs).
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>Per function scope and parameter: the project functions and their parameters it hands the parameter on to (found on first use).</summary>
    private readonly ConcurrentDictionary<(Scope Scope, int Parameter), (TaintUnit Helper, int Parameter)[]> _handedOn = new();

    /// <summary>
    /// <see cref="MethodsThroughHandOffs"/> of a helper by function scope and depth: helpers are shared by many callers,
    /// and unremembered, each caller's walk asked each helper's own helpers again, up to the depth limit.
    /// </summary>
    private readonly ConcurrentDictionary<(Scope Scope, int Depth), Dictionary<int, string[]>?> _helperMethods = new();

    /// <summary>
    /// The methods <paramref name="unit"/> calls on its parameters, its own calls first, then those of the helpers it
    /// hands them on to, <paramref name="depth"/> hand-offs from the function asked about.
    /// </summary>
    private Dictionary<int, string[]>? MethodsThroughHandOffs(TaintUnit unit, ValueResolver resolver, int depth)
    {
        var own = OwnParameterCalls(unit);
        var methods = own.Methods;
        if (own.HandOffs is null || depth >= MaxObjectHandOffs)
        {
            return methods;
        }
        var copied = false; // the walk's table is shared: copied before the first method a helper adds
        foreach (var parameter in own.HandOffs.Keys)
        {
            foreach (var (helper, helperParameter) in HandedOn(unit, parameter, resolver))
            {
                if (HelperMethods(helper, resolver, depth + 1)?.GetValueOrDefault(helperParameter) is not { } handed)
                {
                    continue;
                }
                var list = methods?.GetValueOrDefault(parameter) ?? [];
                foreach (var method in handed)
                {
                    list = WithMethod(list, method);
                }
                if (!copied || methods is null)
                {
                    methods = methods is null ? [] : new Dictionary<int, string[]>(methods);
                    copied = true;
                }
                methods[parameter] = list;
            }
        }
        return methods;
    }

    private Dictionary<int, string[]>? HelperMethods(TaintUnit helper, ValueResolver resolver, int depth) =>
        _helperMethods.GetOrAdd((helper.Scope, depth), static (_, s) => s.index.MethodsThroughHandOffs(s.helper, s.resolver, s.depth), (helper, index: this, resolver, depth));

    /// <summary>The project functions (and their parameters) <paramref name="unit"/> passes its parameter <paramref name="parameter"/> to as a plain argument.</summary>
    private (TaintUnit Helper, int Parameter)[] HandedOn(TaintUnit unit, int parameter, ValueResolver resolver) =>
        _handedOn.GetOrAdd((unit.Scope, parameter), static (_, s) => s.index.FindHandedOn(s.unit, s.parameter, s.resolver), (unit, parameter, index: this, resolver));

    private (TaintUnit Helper, int Parameter)[] FindHandedOn(TaintUnit unit, int parameter, ValueResolver resolver)
    {
        if (OwnParameterCalls(unit).HandOffs?.GetValueOrDefault(parameter) is not { } handOffs)
        {
            return [];
        }
        var found = new List<(TaintUnit, int)>();
        foreach (var (call, argument) in handOffs)
        {
            if (unit.Module.CallSiteOf(call) is not { } site)
            {
                continue;
            }
            foreach (var value in resolver.Resolve(call.Func, EvalContext.At(site)))
            {
                if (value is FunctionValue { BoundPositionals: 0 } function && UnitOf(function.Function) is { Function: not null } helper
                    && ParameterAt((helper, helper.TakesReceiver && (function.BoundTo is not null || helper.IsClassMethod)), call, argument) is { } name
                    && helper.IndexOfParameter(name) is >= 0 and var helperParameter && !found.Contains((helper, helperParameter)))
                {
                    found.Add((helper, helperParameter));
                }
            }
        }
        return [.. found];
    }
}
