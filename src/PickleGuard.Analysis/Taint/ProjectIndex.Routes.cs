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
    /// <summary>
    /// One route registration: where it is, how it reads (<c>django.urls.path('item/&lt;str:blob&gt;/')</c>), the names
    /// its literal route captures (null: unknown, every later parameter) and the names the program fixes (null: none known).
    /// </summary>
    private sealed record RouteInfo(ModuleModel Module, int Offset, string Text, IReadOnlySet<string>? Captured, IReadOnlySet<string>? Fixed);

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
        return new RouteInfo(module, call.Span.Start, $"{ProvenanceEvaluator.Display(api.Path)}({routeText})", captured, fixedKeys);
    }

    /// <summary>
    /// The parameters from <paramref name="from"/> on that get the URL's parts: the captured names (all of them when
    /// the route cannot be read), <c>*args</c> only for an unreadable route (positional groups), <c>**kwargs</c> when
    /// some captured name has no parameter of its own; never a name the route's literal keyword dict fixes.
    /// </summary>
    private void AddRouteParameters(TaintUnit unit, int from, string kind, RouteInfo route)
    {
        for (var i = from; i < unit.Parameters.Count; i++)
        {
            var name = unit.Parameters[i].ArgValue;
            var gets = i == unit.VarargIndex ? route.Captured is null
                : i == unit.KwargIndex ? KwargsGetsCaptures(unit, from, route)
                : route.Fixed?.Contains(name) != true && route.Captured?.Contains(name) != false;
            if (gets)
            {
                var label = $"URL part '{name}' of {route.Text}";
                var start = TraceLink.Start(route.Module, route.Offset, $"source ({kind}): {label}");
                _callbackSources.Add((unit, new ParameterSource(i, kind, label, null) { Route = start }));
            }
        }
    }

    private static bool KwargsGetsCaptures(TaintUnit unit, int from, RouteInfo route)
    {
        if (route.Captured is null)
        {
            return true;
        }
        foreach (var name in route.Captured)
        {
            if (route.Fixed?.Contains(name) != true && !NamesParameter(unit, from, name))
            {
                return true;
            }
        }
        return false;
    }

    private static bool NamesParameter(TaintUnit unit, int from, string name)
    {
        for (var i = from; i < unit.Parameters.Count; i++)
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
                    if (member is FunctionValue function && UnitOf.TryGetValue(function.Function, out var unit) && unit.TakesReceiver
                        && !unit.IsClassMethod && seen.Add(unit))
                    {
                        yield return unit;
                    }
                }
            }
        }
    }
}
