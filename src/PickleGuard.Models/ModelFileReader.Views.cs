using Tomlyn.Syntax;

namespace PickleGuard.Models;

/// <summary>Web views: the route keys of [[callback-source]] and the [[view-class]] entry (docs/taint.md).</summary>
internal static partial class ModelFileReader
{
    /// <summary>
    /// <c>later-parameters</c>, <c>route</c>, <c>fixed-keywords</c>, <c>includes</c>, <c>view-factory</c> and <c>handler-methods</c> of a
    /// [[callback-source]]: what a URL route gives its view besides the request.
    /// </summary>
    private static (bool Valid, bool Later, RouteArgument? Route, ArgumentSelector? FixedKeywords, string? ViewFactory, IReadOnlyList<string> HandlerMethods,
            IReadOnlyList<string> Includes, IReadOnlyList<string> HandlerDecorators)
        ReadRouteKeys(TomlEntry entry, IReadOnlyList<int> positions, bool instance)
    {
        var later = entry.Boolean("later-parameters") ?? false;
        if (later && positions.Count == 0)
        {
            entry.Error(entry.LineOfKey("later-parameters"), "'later-parameters' needs 'parameter-positions' (the parameters before the later ones)");
        }
        RouteArgument? route = null;
        var routeTable = entry.Table("route");
        if (routeTable is not null)
        {
            var syntax = routeTable.String("syntax", required: true) switch
            {
                null => (RouteSyntax?)null,
                "django-path" => RouteSyntax.DjangoPath,
                "regex" => RouteSyntax.Regex,
                var other => InvalidSyntax(routeTable, other),
            };
            var selector = ReadSelector(routeTable, "route", reject: false);
            routeTable.RejectUnknownKeys("route (allowed: position, keyword, syntax)");
            route = selector is null || syntax is null ? null : new RouteArgument(selector, syntax.Value);
        }
        ArgumentSelector? fixedKeywords = null;
        var fixedTable = entry.Table("fixed-keywords");
        if (fixedTable is not null)
        {
            fixedKeywords = ReadSelector(fixedTable, "fixed-keywords");
        }
        var includes = ApiNames(entry, "includes", required: false) ?? [];
        foreach (var key in new[] { "route", "fixed-keywords", "includes" })
        {
            if (entry.Has(key) && !later)
            {
                entry.Error(entry.LineOfKey(key), $"'{key}' is about the later parameters (URL parts); it needs 'later-parameters = true'");
            }
        }
        var viewFactory = entry.String("view-factory", required: false);
        if (viewFactory is not null && !ApiPath.IsIdentifier(viewFactory))
        {
            entry.Error(entry.LineOfKey("view-factory"), $"'{viewFactory}' is not a Python identifier");
        }
        var handlerMethods = Identifiers(entry, "handler-methods");
        var handlerDecorators = ApiNames(entry, "handler-decorators", required: false) ?? [];
        if (handlerDecorators.Count > 0 && handlerMethods.Count == 0)
        {
            entry.Error(entry.LineOfKey("handler-decorators"), "'handler-decorators' needs 'handler-methods' (the argument is a class only for a class-based view model)");
        }
        if (viewFactory is not null && handlerMethods.Count == 0)
        {
            entry.Error(entry.LineOfKey("view-factory"), "'view-factory' needs 'handler-methods' (the methods the view's class is called through)");
        }
        if (instance && handlerMethods.Count > 0)
        {
            entry.Error(entry.LineOfKey("handler-methods"), "'instance = true' exposes every public method; 'handler-methods' is not allowed with it");
        }
        var valid = routeTable?.HasErrors != true && fixedTable?.HasErrors != true;
        return (valid, later, route, fixedKeywords, viewFactory, handlerMethods, includes, handlerDecorators);
    }

    private static RouteSyntax? InvalidSyntax(TomlEntry table, string syntax)
    {
        table.Error(table.LineOfKey("syntax"), $"'syntax' must be \"django-path\" or \"regex\", not '{syntax}'");
        return null;
    }

    private static ViewClassModel? ReadViewClass(TomlEntry entry)
    {
        var kind = SourceKind(entry);
        var bases = ApiNames(entry, "bases", required: true);
        var handlerMethods = Identifiers(entry, "handler-methods");
        var handlerPrefixes = Identifiers(entry, "handler-prefixes");
        if (handlerMethods.Count == 0 && !entry.Has("handler-methods") && handlerPrefixes.Count == 0)
        {
            entry.Error(entry.Line, "missing required key 'handler-methods' (or 'handler-prefixes')");
        }
        var requestParameter = entry.Boolean("request-parameter") ?? true;
        var laterParameters = entry.Boolean("later-parameters") ?? true;
        if (!laterParameters && !requestParameter)
        {
            entry.Error(entry.LineOfKey("later-parameters"), "'later-parameters = false' keeps only the request; it needs 'request-parameter = true'");
        }
        var handlerDecorators = ApiNames(entry, "handler-decorators", required: false) ?? [];
        var requestAttributes = Identifiers(entry, "request-attributes");
        var receiverRequest = Identifiers(entry, "receiver-request");
        var receiverData = Identifiers(entry, "receiver-data");
        var reason = entry.String("reason", required: true);
        var reference = entry.String("reference", required: true);
        entry.RejectUnknownKeys("[[view-class]] (allowed: kind, bases, handler-methods, handler-prefixes, handler-decorators, request-parameter, later-parameters, request-attributes, receiver-request, receiver-data, reason, reference)");
        if (entry.HasErrors || kind is null || bases is null || reason is null || reference is null)
        {
            return null;
        }
        return new ViewClassModel(kind, bases, handlerMethods, requestAttributes, receiverRequest, receiverData, reason, reference,
            new ModelOrigin(entry.File, entry.Line)) 
        {
            HandlerDecorators = handlerDecorators,
            HandlerPrefixes = handlerPrefixes,
            RequestParameter = requestParameter,
            LaterParameters = laterParameters,
        };
    }
}
