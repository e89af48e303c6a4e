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

    /// <summary>Per function scope: the methods of project classes it calls on its plain parameters (by parameter), or null when none (found on first use).</summary>
    private readonly ConcurrentDictionary<Scope, Dictionary<int, string[]>?> _parameterMethodCalls = new();

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
            if (callee.Unit.Function is null || MethodsCalledOnParameters(callee.Unit) is not { } called)
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
                // Numbered by the method's place in the callee's body: the same in every run, whichever call is resolved first.
                _objectMethodInputs.TryAdd((callee.Scope, parameter, method), TaintOrigin.ObjectMethodIndex(parameter, position));
                _objectMethodCallees.TryAdd(callee.Scope, true);
            }
        }
    }

    /// <summary>The methods of project classes <paramref name="unit"/> calls on its plain parameters (never rebound), by parameter, or null.</summary>
    private Dictionary<int, string[]>? MethodsCalledOnParameters(TaintUnit unit) =>
        _parameterMethodCalls.GetOrAdd(unit.Scope, static (_, s) => ParameterMethodCalls.Of(s.unit, s.index), (unit, index: this));

    /// <summary>Finds <c>p.m(...)</c> in a function's own body with <c>p</c> a parameter bound once and <c>m</c> a method some project class defines.</summary>
    private sealed class ParameterMethodCalls(TaintUnit unit, ProjectIndex index) : OwnBodyWalker
    {
        private Dictionary<int, string[]>? _found;

        public static Dictionary<int, string[]>? Of(TaintUnit unit, ProjectIndex index)
        {
            var walker = new ParameterMethodCalls(unit, index);
            unit.Walk(walker);
            return walker._found;
        }

        public override void VisitCallExpr(CallExpr node)
        {
            if (node.Func is AttributeExpr { Value: NameExpr owner } method && unit.IndexOfParameter(owner.Id) is >= 0 and var parameter
                && (parameter > 0 || !unit.TakesReceiver) && index.ClassesDefining(method.Attr).Length > 0
                && unit.Scope.BindingsOf(owner.Id).Count == 1)
            {
                _found ??= [];
                var methods = _found.GetValueOrDefault(parameter) ?? [];
                if (Array.IndexOf(methods, method.Attr) < 0 && methods.Length < TaintOrigin.MaxObjectMethodsPerParameter)
                {
                    _found[parameter] = [.. methods, method.Attr];
                }
            }
            base.VisitCallExpr(node);
        }

        protected override bool Enters(Node scope) => false;
    }
}
