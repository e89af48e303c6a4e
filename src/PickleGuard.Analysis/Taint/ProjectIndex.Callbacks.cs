using System.Collections.Concurrent;
using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Callback sources (docs/taint.md): the callable passed to a registering call (<c>basic_consume(on_message_callback=cb)</c>,
/// <c>asyncio.start_server(cb)</c>, <c>register_function(f)</c>) gets outside data in the parameters its model names.
/// The callable is found when it is a function, a bound method, a lambda, a local name bound to one of those, or
/// <c>functools.partial(f, ...)</c> of one (the partial's positional arguments shift the parameters).
/// </summary>
internal sealed partial class ProjectIndex
{
    private const int MaxCallbackAliasDepth = 3;

    private readonly ConcurrentBag<(TaintUnit Unit, ParameterSource Source)> _callbackSources = [];

    /// <summary>Views registered by a URL route (a callback source with later parameters), for <see cref="IsRouteHandler"/>.</summary>
    private readonly ConcurrentDictionary<TaintUnit, bool> _routeHandlers = new();

    private void RegisterCallbacks(CallSite site, ApiValue api, IReadOnlyList<CallbackSourceModel> models, ValueResolver resolver)
    {
        foreach (var model in models)
        {
            if (!_options.SourceKinds.Contains(model.Kind))
            {
                continue;
            }
            var registered = false;
            foreach (var argument in CallbackArguments(site, model, resolver))
            {
                RegisterCallback(site, api, model, argument, resolver);
                registered = true;
            }
            if (!registered && !model.Instance && model.Callback is not null && DecoratedFunction(site) is { } decorated)
            {
                AddCallbackParameters(decorated, 0, model, CallbackLabel(api), model.LaterParameters ? RouteOf(site, api, model) : null);
            }
        }
    }

    /// <summary>
    /// The function a registering call decorates: called without its callback, Gradio's listeners (<c>@btn.click(inputs=[x])</c>,
    /// <c>@gr.on(triggers=[...])</c>, <c>@demo.load()</c>) and registries like them return a decorator that registers the
    /// function it is applied to.
    /// </summary>
    private TaintUnit? DecoratedFunction(CallSite site)
    {
        foreach (var function in site.Scope.Module.Functions.Values)
        {
            if (function.Decorators.Contains(site.Call) && UnitOf(function) is { } unit)
            {
                return unit;
            }
        }
        return null;
    }

    private static string CallbackLabel(ApiValue api) => $"a callback registered with {ProvenanceEvaluator.Display(api.Path)}()";

    /// <summary>The arguments of a registering call that are callbacks by <paramref name="model"/>.</summary>
    private static IEnumerable<Expr> CallbackArguments(CallSite site, CallbackSourceModel model, ValueResolver resolver)
    {
        if (model.Callback is { } selector)
        {
            // A list or tuple display of callables registers each (kombu's `Consumer(..., callbacks=[on_task])`).
            return ArgumentFinder.Find(site.Call, selector) switch
            {
                (ArgumentKind.Found, ListExpr list) => list.Elts,
                (ArgumentKind.Found, TupleExpr tuple) => tuple.Elts,
                (ArgumentKind.Found, { } argument) => [argument],
                _ => [],
            };
        }
        if (!model.KeywordCallbacks)
        {
            return [];
        }
        var arguments = new List<Expr>();
        foreach (var keyword in site.Call.Keywords)
        {
            if (keyword.Arg is not null)
            {
                arguments.Add(keyword.Value);
            }
            else if (resolver.DictDisplayOf(keyword.Value, EvalContext.At(site)) is { } display)
            {
                arguments.AddRange(display.Values);
            }
        }
        return arguments;
    }

    private void RegisterCallback(CallSite site, ApiValue api, CallbackSourceModel model, Expr argument, ValueResolver resolver)
    {
        var label = CallbackLabel(api);
        var route = model.LaterParameters ? RouteOf(site, api, model) : null;
        if (route is not null && model.Includes.Count > 0)
        {
            RegisterInclude(argument, route, model, EvalContext.At(site), resolver);
        }
        foreach (var (unit, shift) in Callables(argument, EvalContext.At(site), resolver, 0))
        {
            if (model.Instance)
            {
                continue;
            }
            AddCallbackParameters(unit, shift, model, label, route);
        }
        foreach (var handler in ViewHandlers(argument, model, EvalContext.At(site), resolver))
        {
            AddCallbackParameters(handler, 1, model, $"a view class routed by {ProvenanceEvaluator.Display(api.Path)}()", route);
        }
        if (model.Instance)
        {
            foreach (var value in resolver.Resolve(argument, EvalContext.At(site)))
            {
                if (value is InstanceValue instance)
                {
                    foreach (var method in PublicMethods(instance.Class))
                    {
                        AddCallbackParameters(method, method.TakesReceiver ? 1 : 0, model, $"a method of an instance registered with {ProvenanceEvaluator.Display(api.Path)}()", null);
                    }
                }
            }
        }
    }

    private void AddCallbackParameters(TaintUnit unit, int shift, CallbackSourceModel model, string label, RouteInfo? route)
    {
        var attributes = model.Attributes.Count > 0 ? model.Attributes : null;
        if (route is not null)
        {
            _routeHandlers.TryAdd(unit, true);
        }
        if (model.Positions.Count == 0)
        {
            for (var i = shift; i < unit.Parameters.Length; i++)
            {
                _callbackSources.Add((unit, new ParameterSource(i, model.Kind, $"parameter '{unit.Parameters[i].ArgValue}' of {label}", attributes)));
            }
            return;
        }
        var last = -1;
        foreach (var position in model.Positions)
        {
            // A callback taking *args receives the data there; one taking fewer parameters ignores it.
            var i = position + shift < unit.PositionalCount ? position + shift : unit.VarargIndex;
            if (i >= 0 && i < unit.Parameters.Length)
            {
                // A routed view's request is named as the view names it: `req.body` reads as the data it is.
                var name = unit.Parameters[i].ArgValue;
                _callbackSources.Add((unit, new ParameterSource(i, model.Kind, route is not null && attributes is not null ? name : $"parameter '{name}' of {label}", attributes)));
                last = Math.Max(last, i);
            }
        }
        if (route is not null && last >= 0)
        {
            _routeRegistrations.Add((unit, last + 1, model.Kind, route)); // after every include() is known
        }
    }

    /// <summary>The project functions an expression denotes, each with the index of the parameter the library's first argument lands in.</summary>
    private IEnumerable<(TaintUnit Unit, int Shift)> Callables(Expr expr, EvalContext context, ValueResolver resolver, int depth)
    {
        if (depth > MaxCallbackAliasDepth)
        {
            yield break;
        }
        switch (expr)
        {
            case LambdaExpr lambda when context.Module.Functions.TryGetValue(lambda, out var function):
                yield return (UnitOf(function)!, 0);
                yield break;
            case CallExpr call when IsPartial(call, context, resolver) && call.Args.Count > 0 && call.Args[0] is not StarredExpr:
                var bound = call.Args.Count - 1;
                foreach (var (unit, shift) in Callables(call.Args[0], context, resolver, depth + 1))
                {
                    yield return (unit, shift + bound);
                }
                yield break;
        }
        var found = false;
        foreach (var value in resolver.Resolve(expr, context))
        {
            if (value is FunctionValue function && UnitOf(function.Function) is { } unit)
            {
                found = true;
                yield return (unit, (unit.TakesReceiver && (function.BoundTo is not null || unit.IsClassMethod) ? 1 : 0) + function.BoundPositionals);
            }
        }
        if (!found && expr is NameExpr name)
        {
            // `cb = lambda ...` (or a partial of one): the resolver does not follow lambdas; their values do.
            foreach (var binding in resolver.ReachingBindings(name.Id, context))
            {
                if (binding.Value is LambdaExpr or CallExpr)
                {
                    foreach (var callable in Callables(binding.Value, EvalContext.Of(binding), resolver, depth + 1))
                    {
                        yield return callable;
                    }
                }
            }
        }
    }

    private static bool IsPartial(CallExpr call, EvalContext context, ValueResolver resolver) =>
        resolver.Resolve(call.Func, context).Any(v => v is ApiValue { Path: "functools.partial" });

    /// <summary>The class's own public methods (looked up in its module, not among all the project's functions).</summary>
    private IEnumerable<TaintUnit> PublicMethods(ClassInfo cls) =>
        cls.BodyScope.Module.Functions.Values
            .Where(f => f.Owner == cls && !f.Name.StartsWith('_'))
            .Select(UnitOf)
            .OfType<TaintUnit>();

    /// <summary>
    /// Adds the callback sources found while resolving calls to the parameter sources (after the parallel phase). A
    /// route's URL parts replace the ones a view class's handler got from its base alone (the route knows which
    /// names it captures and which the program fixes).
    /// </summary>
    private void MergeCallbackSources()
    {
        AddRouteParameters();
        foreach (var group in _callbackSources.GroupBy(c => c.Unit))
        {
            var existing = ParameterSources.GetValueOrDefault(group.Key) ?? [];
            if (_routeHandlers.ContainsKey(group.Key))
            {
                existing = [.. existing.Where(e => !e.ByViewClass)];
            }
            // The bag's order depends on the workers: sort before choosing one source per parameter.
            var added = group.Select(c => c.Source).Where(s => !existing.Any(e => e.Index == s.Index))
                .OrderBy(s => s.Index).ThenBy(s => s.Label, StringComparer.Ordinal).ThenBy(s => s.Kind, StringComparer.Ordinal)
                .ThenBy(s => s.Route is null ? 0 : s.Route.Offset).ThenBy(s => s.Route?.Module.Path, StringComparer.Ordinal)
                .DistinctBy(s => s.Index);
            ParameterSources[group.Key] = [.. existing, .. added];
        }
    }
}
