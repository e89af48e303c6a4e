using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Project functions handed to a library that calls them: <c>threading.Thread(target=worker, args=(data,))</c>,
/// <c>executor.submit(worker, data)</c>, <c>loop.run_in_executor(None, worker, data)</c>, <c>pool.map(worker, items)</c>;
/// and to a project function that calls the parameter it is passed as (<c>def in_background(fn, *args):
/// Thread(target=fn, args=args).start()</c>, <c>def retry(fn, payload): return fn(payload)</c>).
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>
    /// The first argument of a call that names a project function (<c>worker</c>, <c>self.run_job</c>, a
    /// <c>functools.partial(worker, key=...)</c> of one) and is
    /// followed by data it could be called with — positional arguments after it, or <c>args=</c>/<c>kwargs=</c> —
    /// with the function's unit and whether it is bound to a receiver; null when there is none. A function passed
    /// alone (<c>property(f)</c>, <c>atexit.register(f)</c>, a decorator) gets nothing from the call. For a call of
    /// a project function, <paramref name="callee"/>, only an argument bound to a parameter the callee calls counts.
    /// </summary>
    private InvokedCallable? FindInvoked(CallSite site, ValueResolver resolver, (TaintUnit Unit, bool Bound)? callee = null)
    {
        if (callee is { Unit.Footprint: { CalledParameters.Count: 0, RelayedParameters.Count: 0 } })
        {
            return null; // a callee calling or passing on none of its parameters is handed nothing to call (most of them: no look at the arguments)
        }
        var call = site.Call;
        // A project callee may call its parameter with data of its own (`def render(func): return func(request.POST)`):
        // any argument bound to a parameter it calls counts, not only one followed by data.
        var handed = callee is null ? CodeFootprint.HandedWithData(call) : call.Args.Count + call.Keywords.Count;
        for (var i = 0; i < handed; i++)
        {
            var argument = CodeFootprint.ArgumentAt(call, i);
            // `map(lambda blob: pickle.loads(blob), items)`: a lambda written in place is its own unit.
            if (argument is LambdaExpr lambda && callee is null && site.Scope.Module.Functions.TryGetValue(lambda, out var written))
            {
                return new InvokedCallable(UnitOf(written)!, false, argument);
            }
            // `partial(worker, verbose=True)` resolves to `worker` when it binds only keywords (ValueResolver.Calls.cs).
            var named = argument is CallExpr { Func: NameExpr { Id: "partial" } or AttributeExpr { Attr: "partial" }, Args: [var wrapped] } ? wrapped : argument;
            var name = named switch
            {
                NameExpr n => n.Id,
                AttributeExpr a => a.Attr,
                _ => null,
            };
            if (name is null || !_functionNames.Contains(name) || named is NameExpr && !NamesDefinition(name, site.Scope))
            {
                continue;
            }
            // Found only for an argument that may name a function: most arguments do not.
            var handedAs = callee is { } project ? ParameterAt(project, call, i) : null;
            if (callee is { } calling && !CallsParameter(calling.Unit, handedAs) && !RelaysParameter(calling.Unit, handedAs))
            {
                continue;
            }
            foreach (var value in resolver.Resolve(argument, EvalContext.At(site)))
            {
                // A partial binding positionals (`partial(worker, prefix)`) is not handed on: the data would go to its first parameters.
                if (value is FunctionValue { BoundPositionals: 0 } function && UnitOf(function.Function) is { } unit)
                {
                    return new InvokedCallable(unit, unit.TakesReceiver && (function.BoundTo is not null || unit.IsClassMethod), argument)
                    {
                        HandedAs = handedAs,
                        Relayed = callee is { } relaying && !CallsParameter(relaying.Unit, handedAs),
                    };
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Keeps a lambda handed to a library call (<c>map(lambda b: pickle.loads(b), items)</c>) only when its own body
    /// calls a sink: analysing every lambda given to <c>map</c>, <c>filter</c> or <c>sorted</c> as a callee cost 3 % of
    /// the fixpoint on the stdlib, for lambdas whose result the call's pass-through already covers.
    /// </summary>
    private static void DropLambdasWithoutSinks(CallInfo[] infos)
    {
        foreach (var info in infos)
        {
            if (info.Invoked is { Callable: LambdaExpr, Unit.CallsSinks: false })
            {
                info.Invoked = null;
            }
        }
    }

    /// <summary>The name of the parameter of <paramref name="callee"/> the call's argument <paramref name="i"/> (positionals, then keywords) binds, or null.</summary>
    private static string? ParameterAt((TaintUnit Unit, bool Bound) callee, CallExpr call, int i)
    {
        if (i >= call.Args.Count)
        {
            return call.Keywords[i - call.Args.Count].Arg;
        }
        var parameter = i + (callee.Bound ? 1 : 0);
        return StarredUpTo(call, i) || parameter >= callee.Unit.PositionalCount ? null : callee.Unit.Parameters[parameter].ArgValue;
    }

    /// <summary>Whether one of the positional arguments up to <paramref name="i"/> is starred (a plain loop: LINQ made two objects per question).</summary>
    public static bool StarredUpTo(CallExpr call, int i)
    {
        for (var k = 0; k <= i; k++)
        {
            if (call.Args[k] is StarredExpr)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The method a verifier decodes the verified data with, on an instance of the project class its argument names
    /// (<c>signing.loads(s, serializer=PickleSerializer)</c>: <c>PickleSerializer().loads</c>); null when the argument is
    /// absent or names no project class with that method.
    /// </summary>
    private InvokedCallable? FindVerifiedHandOff(CallSite site, VerifiedHandOff handOff, ValueResolver resolver)
    {
        if (ArgumentFinder.Find(site.Call, handOff.Argument).Value is not { } argument)
        {
            return null;
        }
        foreach (var value in resolver.Resolve(argument, EvalContext.At(site)))
        {
            var instance = value switch
            {
                ClassValue cls => new InstanceValue(cls.Class, null),
                InstanceValue made => made,
                _ => null,
            };
            if (instance is null)
            {
                continue;
            }
            foreach (var member in resolver.Member(instance, handOff.Method))
            {
                if (member is FunctionValue function && UnitOf(function.Function) is { } unit && unit.TakesReceiver && !unit.IsClassMethod)
                {
                    return new InvokedCallable(unit, true, argument) { GetsVerifiedData = true };
                }
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="unit"/>'s own code calls its parameter <paramref name="parameter"/>, or hands it to a call with data after it.</summary>
    private static bool CallsParameter(TaintUnit unit, string? parameter) =>
        parameter is not null && unit.Footprint.CalledParameters.Contains(parameter);

    /// <summary>
    /// Whether <paramref name="unit"/> passes its parameter <paramref name="parameter"/> whole to a call, which may be of a
    /// helper calling it (<c>load_from_path(path, loader=loader)</c>): its summary says (FunctionAnalyzer.ParameterCalls.cs).
    /// </summary>
    private static bool RelaysParameter(TaintUnit unit, string? parameter) =>
        parameter is not null && unit.Footprint.RelayedParameters.Contains(parameter);

    /// <summary>
    /// Whether <paramref name="name"/> may be a function where it is used: the scope that binds it has a <c>def</c> or an
    /// import of it (a parameter or a loop variable named like some function is not worth resolving).
    /// </summary>
    private static bool NamesDefinition(string name, Scope scope)
    {
        var bindings = scope.ScopeBinding(name)?.BindingsOf(name) ?? [];
        for (var i = 0; i < bindings.Count; i++) // no enumerator or closure: this runs for many calls
        {
            if (bindings[i].Kind is BindingKind.FunctionDef or BindingKind.ImportFrom)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>A project function a library call is given to call (<see cref="ProjectIndex"/>, ProjectIndex.Invoked.cs).</summary>
/// <param name="Callable">The argument that names it.</param>
internal sealed record InvokedCallable(TaintUnit Unit, bool Bound, Expr Callable)
{
    /// <summary>For a call of a project function, the parameter of it the callable is passed as (which it calls); else null.</summary>
    public string? HandedAs { get; init; }

    /// <summary>
    /// Whether the callee only passes the callable on to another call (<see cref="HandedAs"/> is not called in its own
    /// code): the callable gets what the callee's summary says it is called with, never the call's other arguments.
    /// </summary>
    public bool Relayed { get; init; }

    /// <summary>Whether the unit gets the data the call verified, not the call's arguments (<see cref="PickleGuard.Models.SanitizerModel.HandsTo"/>).</summary>
    public bool GetsVerifiedData { get; init; }

    /// <summary>
    /// The library call's model when it passes arguments of its own first (<c>Fabric().launch(fn, *args)</c> calls
    /// <c>fn(fabric, *args)</c>): the call's arguments bind that many parameters later; null for one that passes only
    /// the call's (<c>Thread(target=fn, args=...)</c>).
    /// </summary>
    public RunnerModel? Runner { get; init; }
}
