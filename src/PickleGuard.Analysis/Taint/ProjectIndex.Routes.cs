using System.Collections.Concurrent;
using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// URL routes (docs/taint.md, "Django views"): a view routed by <c>path("item/&lt;str:blob&gt;/", view)</c> gets the
/// request and, in its later parameters, the URL parts the client chose; <c>path("x/", MyView.as_view())</c> and
/// <c>router.register("items", ItemViewSet)</c> route a class whose handler methods get the same.
/// </summary>
internal sealed partial class ProjectIndex
{
    private const int MaxIncludeDepth = 4;

    /// <summary>Route registrations (a view, its first URL-part parameter, the source kind, the route), applied in <see cref="AddRouteParameters()"/>.</summary>
    private readonly ConcurrentBag<(TaintUnit Unit, int From, string Kind, RouteInfo Route)> _routeRegistrations = [];

    /// <summary>The URLconf modules routed by <c>include()</c> (by the name the include gives), with the including route.</summary>
    private readonly ConcurrentBag<(string Target, RouteInfo Prefix)> _routeIncludes = [];

    /// <summary>The route calls listed inside an <c>include([...])</c>, with the including route.</summary>
    private readonly ConcurrentDictionary<CallExpr, RouteInfo> _inlineIncludes = new();

    /// <summary>
    /// One route registration: where it is, how it reads (<c>django.urls.path('item/&lt;str:blob&gt;/')</c>), the names
    /// its literal route captures (null: unknown, every later parameter) and the names the program fixes (null: none known).
    /// </summary>
    private sealed record RouteInfo(ModuleModel Module, CallExpr Call, string Text, IReadOnlySet<string>? Captured, IReadOnlySet<string>? Fixed)
    {
        public int Offset => Call.Span.Start;
    }

    private static RouteInfo RouteOf(CallSite site, ApiValue api, CallbackSourceModel model)
    {
        var call = site.Call;
        Expr? routeExpr = model.Route is { } route && ArgumentFinder.Find(call, route.Selector) is (ArgumentKind.Found, { } found) ? found : null;
        var captured = model.Route is { } r ? RouteCaptures.Names(routeExpr, r.Syntax) : null;
        var fixedKeys = model.FixedKeywords is { } selector && ArgumentFinder.Find(call, selector) is (ArgumentKind.Found, { } dict)
            ? RouteCaptures.FixedKeys(dict)
            : null;
        var module = site.Scope.Module;
        var routeText = routeExpr is null ? "" : ProvenanceEvaluator.Text(routeExpr, EvalContext.At(site));
        return new RouteInfo(module, call, $"{ProvenanceEvaluator.Display(api.Path)}({routeText})", captured, fixedKeys);
    }

    /// <summary>
    /// The URL parts of every route registration, once the parallel phase has seen every <c>include()</c>: a view's
    /// parameters get the names its own route captures and those of the routes that include it: its URLconf module
    /// (<c>include("app.urls")</c>) or the list it stands in (<c>include([path(...), ...])</c>).
    /// </summary>
    private void AddRouteParameters()
    {
        // The bags' order depends on the workers: sort for the same sources (and trace) on every run.
        var includes = _routeIncludes.OrderBy(i => i.Prefix.Module.Path, StringComparer.Ordinal).ThenBy(i => i.Prefix.Offset)
            .ThenBy(i => i.Target, StringComparer.Ordinal).ToArray();
        foreach (var (unit, from, kind, route) in _routeRegistrations.OrderBy(r => r.Route.Module.Path, StringComparer.Ordinal)
                     .ThenBy(r => r.Route.Offset).ThenBy(r => r.Unit.Id))
        {
            var layers = new List<RouteInfo>();
            AddPrefixes(route, includes, layers, 0);
            AddRouteParameters(unit, from, kind, route, layers);
        }
    }

    /// <summary>The routes that include <paramref name="route"/>, then the routes that include theirs, at most <see cref="MaxIncludeDepth"/> deep.</summary>
    private void AddPrefixes(RouteInfo route, (string Target, RouteInfo Prefix)[] includes, List<RouteInfo> layers, int depth)
    {
        if (depth >= MaxIncludeDepth)
        {
            return;
        }
        if (_inlineIncludes.TryGetValue(route.Call, out var inline) && !layers.Contains(inline))
        {
            layers.Add(inline);
            AddPrefixes(inline, includes, layers, depth + 1);
        }
        foreach (var (target, prefix) in includes)
        {
            if (NamesModule(target, route.Module.Name) && !layers.Contains(prefix))
            {
                layers.Add(prefix);
                AddPrefixes(prefix, includes, layers, depth + 1);
            }
        }
    }

    /// <summary>
    /// Whether an <c>include("site.app.urls")</c> target names the module: the same dotted name, or one ends with the
    /// other when the shorter has at least two parts (the scan root decides how much of the package path a name keeps;
    /// a bare <c>urls</c> would match every URLconf).
    /// </summary>
    private static bool NamesModule(string target, string module)
    {
        if (target == module)
        {
            return true;
        }
        var (shorter, longer) = target.Length < module.Length ? (target, module) : (module, target);
        return shorter.Contains('.', StringComparison.Ordinal) && longer.EndsWith("." + shorter, StringComparison.Ordinal);
    }

    /// <summary>
    /// The parameters from <paramref name="from"/> on that get the URL's parts: the captured names (all of them when
    /// the route cannot be read), <c>*args</c> only for an unreadable route (positional groups), <c>**kwargs</c> when
    /// some captured name has no parameter of its own; never a name the route's literal keyword dict fixes. A name
    /// the route does not capture may be captured by a route that includes its URLconf (<paramref name="prefixes"/>).
    /// </summary>
    private void AddRouteParameters(TaintUnit unit, int from, string kind, RouteInfo route, List<RouteInfo> prefixes)
    {
        for (var i = from; i < unit.Parameters.Length; i++)
        {
            var name = unit.Parameters[i].ArgValue;
            var giver = i == unit.VarargIndex ? (route.Captured is null ? route : null)
                : i == unit.KwargIndex ? KwargsGiver(unit, from, route, prefixes)
                : route.Fixed?.Contains(name) == true ? null
                : route.Captured?.Contains(name) != false ? route
                : prefixes.FirstOrDefault(p => p.Captured?.Contains(name) != false);
            if (giver is not null)
            {
                var label = $"URL part '{name}' of {giver.Text}";
                var start = TraceLink.Start(giver.Module, giver.Offset, $"source ({kind}): {label}");
                _callbackSources.Add((unit, new ParameterSource(i, kind, label, null) { Route = start }));
            }
        }
    }

    /// <summary>The route whose captured names reach <c>**kwargs</c> (a name no parameter of its own takes), or null.</summary>
    private static RouteInfo? KwargsGiver(TaintUnit unit, int from, RouteInfo route, List<RouteInfo> prefixes)
    {
        foreach (var layer in prefixes.Prepend(route))
        {
            if (layer.Captured is null || layer.Captured.Any(name => route.Fixed?.Contains(name) != true && !NamesParameter(unit, from, name)))
            {
                return layer;
            }
        }
        return null;
    }

    /// <summary>
    /// <c>path("api/&lt;int:version&gt;/", include("app.urls"))</c>: remembers that the URLconf module named by the
    /// include (a string literal, a module, or the first item of a literal <c>(urlconf, app_name)</c> tuple) is routed
    /// under <paramref name="route"/>, and so is each route call of a pattern list written in place (<c>include([path(...)])</c>).
    /// </summary>
    private void RegisterInclude(Expr argument, RouteInfo route, CallbackSourceModel model, EvalContext context, ValueResolver resolver)
    {
        if (argument is not CallExpr { Args.Count: > 0 } call
            || !resolver.Resolve(call.Func, context).Any(v => v is ApiValue api && model.Includes.Contains(api.Path)))
        {
            return;
        }
        var target = call.Args[0] is TupleExpr { Elts.Count: > 0 } tuple ? tuple.Elts[0] : call.Args[0];
        if (target is NameExpr variable)
        {
            // `extra_patterns = [path(...), ...]; path("credit/", include(extra_patterns))`
            foreach (var binding in resolver.ReachingBindings(variable.Id, context))
            {
                if (binding.Value is ListExpr or TupleExpr)
                {
                    AddInlineIncludes(binding.Value, route);
                }
            }
        }
        if (target is ListExpr or TupleExpr)
        {
            AddInlineIncludes(target, route);
            return;
        }
        if (target is ConstantExpr { Value.Type: ConstantType.Str } literal && literal.Value.AsString is { } name)
        {
            _routeIncludes.Add((name, route));
            return;
        }
        foreach (var value in resolver.Resolve(target, context))
        {
            if (value is ModuleValue module)
            {
                _routeIncludes.Add((module.Module.Name, route));
            }
        }
    }

    private void AddInlineIncludes(Expr patterns, RouteInfo route)
    {
        foreach (var pattern in patterns is ListExpr list ? list.Elts : ((TupleExpr)patterns).Elts)
        {
            if (pattern is CallExpr inner)
            {
                _inlineIncludes.TryAdd(inner, route);
            }
        }
    }

    private static bool NamesParameter(TaintUnit unit, int from, string name)
    {
        for (var i = from; i < unit.Parameters.Length; i++)
        {
            if (i != unit.VarargIndex && i != unit.KwargIndex && unit.Parameters[i].ArgValue == name)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The handler methods of a routed view class: the argument is a project class (<c>router.register("items",
    /// ItemViewSet)</c>) or the model's view factory called on one (<c>MyView.as_view(template_name="x")</c>); each
    /// handler is looked up through the class's bases as Python would.
    /// </summary>
    private IEnumerable<TaintUnit> ViewHandlers(Expr argument, CallbackSourceModel model, EvalContext context, ValueResolver resolver)
    {
        if (model.HandlerMethods.Count == 0)
        {
            yield break;
        }
        var classExpr = model.ViewFactory is { } factory && argument is CallExpr { Func: AttributeExpr { Value: var owner } attribute } && attribute.Attr == factory
            ? owner
            : argument;
        var seen = new HashSet<TaintUnit>();
        foreach (var value in resolver.Resolve(classExpr, context))
        {
            if (value is not ClassValue cls)
            {
                continue;
            }
            foreach (var name in model.HandlerMethods)
            {
                foreach (var member in resolver.Member(cls, name))
                {
                    if (member is FunctionValue function && UnitOf(function.Function) is { } unit && unit.TakesReceiver
                        && !unit.IsClassMethod && seen.Add(unit))
                    {
                        yield return unit;
                    }
                }
            }
            if (model.HandlerDecorators.Count == 0)
            {
                continue;
            }
            // Extra actions (`@action(detail=True) def publish(self, request, pk=None)`), in the class or a project base.
            foreach (var definer in resolver.ClassAndBases(cls.Class))
            {
                foreach (var function in definer.BodyScope.Module.Functions.Values)
                {
                    if (function.Owner == definer && UnitOf(function) is { } unit && unit.TakesReceiver && !unit.IsClassMethod
                        && IsDecoratedBy(function, model.HandlerDecorators, resolver) && seen.Add(unit))
                    {
                        yield return unit;
                    }
                }
            }
        }
    }
}
