using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Methods called on a parameter, resolved from what the callers pass (web2py's memcache: <c>_recv_value(self, server,
/// flags, rlen)</c> reads <c>server.recv(rlen)</c>, and <c>_get</c> passes a <c>_Host</c> whose <c>recv</c> reads its
/// socket). The callee's call of the method resolves to nothing where it is written; a call passing an object the
/// resolver knows as an instance of project classes names each class's method (<see cref="ObjectMethod"/>, with a call
/// graph edge to it), and the callee gets an input of its own for the result of that method called on that parameter
/// (<see cref="ObjectMethodInput"/>), which its summary maps as it maps a parameter; each such call gives it what the
/// method returns (FunctionAnalyzer.ObjectMethods.cs). An argument the resolver does not know stays as before.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>At most this many project methods are kept per call (objects of several classes, several methods each).</summary>
    private const int MaxObjectMethods = 8;

    /// <summary>Helpers a parameter may be handed on through to the one calling the method (as many as a callable's, <see cref="FunctionAnalyzer.MaxParameterCallRelays"/>).</summary>
    private const int MaxObjectHandOffs = FunctionAnalyzer.MaxParameterCallRelays;

    /// <summary>Per function scope: the methods of project classes it calls on its plain parameters, and its hand-offs of them (found on first use).</summary>
    private readonly ConcurrentDictionary<Scope, ParameterMethodCalls.Found> _parameterMethodCalls = new();

    /// <summary>
    /// Per function scope: the methods of project classes called on its plain parameters (by parameter), its own calls
    /// first, then those of the project functions it hands the parameter on to (<see cref="HandedOn"/>), or null when none.
    /// </summary>
    private readonly ConcurrentDictionary<Scope, Dictionary<int, string[]>?> _parameterMethods = new();

    /// <summary>The (function scope, parameter, method) triples some call gives a project method for, with the input's origin index.</summary>
    private readonly ConcurrentDictionary<(Scope Scope, int Parameter, string Method), int> _objectMethodInputs = new();

    /// <summary>The function scopes of <see cref="_objectMethodInputs"/>.</summary>
    private readonly ConcurrentDictionary<Scope, bool> _objectMethodCallees = new();

    /// <summary>
    /// The origin index standing for the result of method <paramref name="method"/> called on parameter
    /// <paramref name="parameter"/> in the function of <paramref name="scope"/> (<see cref="TaintOrigin.ObjectMethodIndex"/>),
    /// or null when no call passes an object with such a project method. Complete once the modules are resolved.
    /// </summary>
    public int? ObjectMethodInput(Scope scope, int parameter, string method) =>
        _objectMethodInputs.TryGetValue((scope, parameter, method), out var index) ? index : null;

    /// <summary>Whether some call gives the function of <paramref name="scope"/> a project method for a method it calls on a parameter.</summary>
    public bool HasObjectMethodInputs(Scope scope) => _objectMethodCallees.ContainsKey(scope);

    /// <summary>
    /// The project methods of the objects the call at <paramref name="site"/> passes that <paramref name="callees"/> call
    /// on the parameters they bind, or null (most callees call no project method on a parameter).
    /// </summary>
    private ObjectMethod[]? FindObjectMethods(CallSite site, ValueResolver resolver, ReadOnlySpan<(TaintUnit Unit, bool Bound)> callees)
    {
        var call = site.Call;
        if (call.Args.Count + call.Keywords.Count == 0)
        {
            return null;
        }
        List<ObjectMethod>? found = null;
        foreach (var callee in callees)
        {
            if (callee.Unit.Function is null || MethodsCalledOnParameters(callee.Unit, resolver) is not { } called)
            {
                continue;
            }
            for (var i = 0; i < call.Args.Count + call.Keywords.Count; i++)
            {
                var argument = CodeFootprint.ArgumentAt(call, i);
                if (argument is ConstantExpr or StarredExpr || ParameterAt(callee, call, i) is not { } name
                    || callee.Unit.IndexOfParameter(name) is not (>= 0 and var parameter) || !called.TryGetValue(parameter, out var methods))
                {
                    continue;
                }
                foreach (var value in resolver.Resolve(argument, EvalContext.At(site)))
                {
                    if (value is InstanceValue instance)
                    {
                        AddObjectMethods(ref found, argument, instance, methods, callee.Unit, parameter, resolver);
                    }
                }
            }
        }
        return found?.ToArray();
    }

    private void AddObjectMethods(ref List<ObjectMethod>? found, Expr argument, InstanceValue instance, string[] methods, TaintUnit callee, int parameter, ValueResolver resolver)
    {
        for (var position = 0; position < methods.Length; position++)
        {
            var method = methods[position];
            foreach (var member in resolver.Member(instance, method))
            {
                if (member is not FunctionValue { BoundTo: not null, BoundPositionals: 0 } function || UnitOf(function.Function) is not { } unit
                    || !unit.TakesReceiver || unit.IsClassMethod)
                {
                    continue;
                }
                if (found?.Exists(m => m.Argument == argument && m.Unit == unit) != true)
                {
                    if ((found?.Count ?? 0) >= MaxObjectMethods)
                    {
                        return;
                    }
                    (found ??= []).Add(new ObjectMethod(argument, method, function.BoundTo, unit));
                }
                AddObjectMethodInput(callee, parameter, method, resolver, 0);
            }
        }
    }

    /// <summary>
    /// Gives <paramref name="unit"/> an input for the result of <paramref name="method"/> called on its parameter
    /// <paramref name="parameter"/>, and so the helpers it hands the parameter on to that call the method, in turn.
    /// </summary>
    private void AddObjectMethodInput(TaintUnit unit, int parameter, string method, ValueResolver resolver, int depth)
    {
        // Numbered by the method's place in the function's list: the same in every run, whichever call is resolved first.
        if (MethodsCalledOnParameters(unit, resolver)?.GetValueOrDefault(parameter) is not { } methods || Array.IndexOf(methods, method) is not (>= 0 and var position)
            || !_objectMethodInputs.TryAdd((unit.Scope, parameter, method), TaintOrigin.ObjectMethodIndex(parameter, position)))
        {
            return;
        }
        _objectMethodCallees.TryAdd(unit.Scope, true);
        if (depth < MaxObjectHandOffs)
        {
            foreach (var (helper, helperParameter) in HandedOn(unit, parameter, resolver))
            {
                AddObjectMethodInput(helper, helperParameter, method, resolver, depth + 1);
            }
        }
    }

    /// <summary>
    /// The inputs of the function of <paramref name="scope"/> for methods called on its parameters that some call gives
    /// (<see cref="ObjectMethodInput"/>), as (parameter, method, origin index); empty when none. Complete once the modules are resolved.
    /// </summary>
    public IEnumerable<(int Parameter, string Method, int Index)> ObjectMethodInputsOf(Scope scope)
    {
        if (!HasObjectMethodInputs(scope) || !_parameterMethods.TryGetValue(scope, out var methods) || methods is null)
        {
            yield break;
        }
        foreach (var (parameter, names) in methods)
        {
            foreach (var method in names)
            {
                if (ObjectMethodInput(scope, parameter, method) is { } index)
                {
                    yield return (parameter, method, index);
                }
            }
        }
    }

    /// <summary>
    /// The methods of project classes <paramref name="unit"/> calls on its plain parameters (never rebound), by parameter,
    /// then those the project functions it hands such a parameter on to call on theirs (up to <see cref="MaxObjectHandOffs"/>
    /// hand-offs deep), or null.
    /// </summary>
    private Dictionary<int, string[]>? MethodsCalledOnParameters(TaintUnit unit, ValueResolver resolver) =>
        _parameterMethods.GetOrAdd(unit.Scope, static (_, s) => s.index.MethodsThroughHandOffs(s.unit, s.resolver, 0), (unit, index: this, resolver));

    /// <summary>The walk of <paramref name="unit"/>'s own body (<see cref="ParameterMethodCalls"/>), once per function.</summary>
    private ParameterMethodCalls.Found OwnParameterCalls(TaintUnit unit) =>
        _parameterMethodCalls.GetOrAdd(unit.Scope, static (_, s) => ParameterMethodCalls.Of(s.unit, s.index), (unit, index: this));

    /// <summary>
    /// Finds <c>p.m(...)</c> in a function's own body with <c>p</c> a parameter bound once and <c>m</c> a method some
    /// project class defines, and the calls passing such a parameter as a plain argument (its hand-offs).
    /// </summary>
    private sealed class ParameterMethodCalls(TaintUnit unit, ProjectIndex index) : OwnBodyWalker
    {
        /// <summary>The methods called on each parameter, and the calls each is an argument of (with the argument's place, positionals then keywords); either null when none.</summary>
        public sealed record Found(Dictionary<int, string[]>? Methods, Dictionary<int, List<(CallExpr Call, int Argument)>>? HandOffs);

        private Dictionary<int, string[]>? _methods;
        private Dictionary<int, List<(CallExpr, int)>>? _handOffs;

        public static Found Of(TaintUnit unit, ProjectIndex index)
        {
            var walker = new ParameterMethodCalls(unit, index);
            unit.Walk(walker);
            return new Found(walker._methods, walker._handOffs);
        }

        public override void VisitCallExpr(CallExpr node)
        {
            if (node.Func is AttributeExpr { Value: NameExpr owner } method && PlainParameter(owner) is >= 0 and var parameter
                && index.ClassesDefining(method.Attr).Length > 0)
            {
                _methods ??= [];
                _methods[parameter] = WithMethod(_methods.GetValueOrDefault(parameter) ?? [], method.Attr);
            }
            if (HandOffCallee(node.Func) is { } callee && index._functionNames.Contains(callee))
            {
                for (var i = 0; i < node.Args.Count + node.Keywords.Count; i++)
                {
                    if (CodeFootprint.ArgumentAt(node, i) is NameExpr argument && PlainParameter(argument) is >= 0 and var handed)
                    {
                        _handOffs ??= [];
                        (_handOffs.TryGetValue(handed, out var list) ? list : _handOffs[handed] = []).Add((node, i));
                    }
                }
            }
            base.VisitCallExpr(node);
        }

        /// <summary>
        /// The name of a callee that may be a project helper: a plain name (<c>recv_value(server)</c>), or a method of this
        /// function's receiver or of a name it does not bind (a module, a class), named as some project function is;
        /// not <c>len(p)</c>, nor a method of another object (<c>items.append(p)</c>): resolving each of those cost a
        /// tenth of sink detection's allocation on the stdlib, for no helper.
        /// </summary>
        private string? HandOffCallee(Expr func) => func switch
        {
            NameExpr name => name.Id,
            AttributeExpr { Value: NameExpr owner } method when unit.IndexOfParameter(owner.Id) == 0 && unit.TakesReceiver
                || unit.Scope.BindingsOf(owner.Id).Count == 0 => method.Attr,
            _ => null,
        };

        /// <summary>The index of the parameter <paramref name="name"/> names when it is no receiver and bound only as the parameter, else -1.</summary>
        private int PlainParameter(NameExpr name) =>
            unit.IndexOfParameter(name.Id) is >= 0 and var parameter && (parameter > 0 || !unit.TakesReceiver) && unit.Scope.BindingsOf(name.Id).Count == 1
                ? parameter
                : -1;

        protected override bool Enters(Node scope) => false;
    }

    /// <summary><paramref name="methods"/> with <paramref name="method"/> added at the end, unless there or full.</summary>
    private static string[] WithMethod(string[] methods, string method) =>
        Array.IndexOf(methods, method) >= 0 || methods.Length >= TaintOrigin.MaxObjectMethodsPerParameter ? methods : [.. methods, method];
}
