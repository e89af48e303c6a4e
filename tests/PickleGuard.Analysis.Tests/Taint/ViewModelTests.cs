using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>The web-view model keys: a [[callback-source]]'s route keys and the [[view-class]] entry (docs/taint.md, "Django views").</summary>
public sealed class ViewModelTests
{
    private const string Header = "schema = 1\nversion = \"1\"\nlibrary = \"mine\"\n";

    [Fact]
    public void BuiltInDjangoRoutesAndViewClassesLoad()
    {
        var path = Assert.Single(ModelSet.BuiltIn.Taint.CallbackSourcesFor("django.urls.path"));
        Assert.True(path.LaterParameters);
        Assert.Equal(new RouteArgument(new ArgumentSelector(0, "route"), RouteSyntax.DjangoPath), path.Route);
        Assert.Equal(new ArgumentSelector(2, "kwargs"), path.FixedKeywords);
        Assert.Equal("as_view", path.ViewFactory);
        Assert.Equal(["django.urls.include", "django.conf.urls.include"], path.Includes);
        Assert.Contains("partial_update", path.HandlerMethods);
        Assert.Equal(RouteSyntax.Regex, Assert.Single(ModelSet.BuiltIn.Taint.CallbackSourcesFor("django.urls.re_path")).Route?.Syntax);
        var router = Assert.Single(ModelSet.BuiltIn.Taint.CallbackSourcesFor("rest_framework.routers.DefaultRouter().register"));
        Assert.Null(router.Route); // the router makes its own routes: every later parameter is a URL part
        Assert.Equal(["rest_framework.decorators.action"], router.HandlerDecorators);
        var django = Assert.Single(ModelSet.BuiltIn.Taint.ViewClasses, v => v.Bases.Contains("django.views.generic.TemplateView"));
        Assert.Equal(["request"], django.ReceiverRequest);
        Assert.Equal(["args", "kwargs"], django.ReceiverData);
        var drf = Assert.Single(ModelSet.BuiltIn.Taint.ViewClasses, v => v.Bases.Contains("rest_framework.viewsets.ModelViewSet") && v.RequestAttributes.Contains("data"));
        Assert.Equal(["rest_framework.decorators.action"], drf.HandlerDecorators);
    }

    [Fact]
    public void UserRouteAndViewClassAreRead()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[callback-source]]
            kind = "remote"
            names = ["myweb.route"]
            callback = { position = 1 }
            parameter-positions = [0]
            later-parameters = true
            route = { position = 0, syntax = "regex" }
            fixed-keywords = { keyword = "defaults" }
            view-factory = "make"
            handler-methods = ["on_get"]
            reason = "r"
            reference = "x"

            [[view-class]]
            kind = "remote"
            bases = ["myweb.Handler"]
            handler-methods = ["on_get"]
            request-attributes = ["body"]
            receiver-data = ["params"]
            later-parameters = false
            reason = "r"
            reference = "x"
            """);
        Assert.Empty(result.Errors);
        var route = Assert.Single(result.Models.Taint.CallbackSourcesFor("myweb.route"));
        Assert.Equal((true, RouteSyntax.Regex, 0, "defaults", "make", "on_get"),
            (route.LaterParameters, route.Route!.Syntax, route.Route.Selector.Position, route.FixedKeywords!.Keyword, route.ViewFactory, route.HandlerMethods.Single()));
        var view = Assert.Single(result.Models.Taint.ViewClasses);
        Assert.Equal(("myweb.Handler", "on_get", "body", "params", 0, false, ("mine.toml", 17)),
            (view.Bases.Single(), view.HandlerMethods.Single(), view.RequestAttributes.Single(), view.ReceiverData.Single(), view.ReceiverRequest.Count,
                view.LaterParameters, (view.Origin.File, view.Origin.Line)));
    }

    [Fact]
    public void ServiceClassByMethodPrefixIsRead()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[view-class]]
            kind = "remote"
            bases = ["myrpc.Service"]
            handler-prefixes = ["remote_"]
            request-parameter = false
            reason = "r"
            reference = "x"
            """);
        Assert.Empty(result.Errors);
        var service = Assert.Single(result.Models.Taint.ViewClasses);
        Assert.Equal((false, true, false, false),
            (service.RequestParameter, service.IsHandlerName("remote_call"), service.IsHandlerName("remote_"), service.IsHandlerName("call")));
    }

    [Fact]
    public void AnnotatedParameterSourceIsRead()
    {
        var result = ModelSet.Parse("mine.toml", Header + """
            [[parameter-source]]
            kind = "remote"
            annotated-with = ["myweb.Request"]
            attributes = ["body"]
            reason = "r"
            reference = "x"
            """);
        Assert.Empty(result.Errors);
        var model = Assert.Single(result.Models.Taint.ParameterSources);
        Assert.Equal(["myweb.Request"], model.AnnotatedWith);
        Assert.Contains(ModelSet.BuiltIn.Taint.ParameterSources, p => p.AnnotatedWith.Contains("django.http.HttpRequest"));
    }

    [Fact]
    public void IncludesAndHandlerDecoratorsNeedTheirKeys()
    {
        var result = ModelSet.Parse("bad.toml", Header + """
            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            callback = { position = 1 }
            parameter-positions = [0]
            includes = ["a.include", "not a path"]
            handler-decorators = ["a.action"]
            reason = "r"
            reference = "x"
            """);
        Assert.Equal(
            [
                "bad.toml:9: 'not a path' is not an API path (dotted names, '()' after a called part, e.g. pickle.Unpickler().load)",
                "bad.toml:9: 'includes' is about the later parameters (URL parts); it needs 'later-parameters = true'",
                "bad.toml:10: 'handler-decorators' needs 'handler-methods' (the argument is a class only for a class-based view model)",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        Assert.Empty(result.Models.Taint.CallbackSources);
    }

    [Fact]
    public void BadRouteKeysAndViewClassesNameFileAndLine()
    {
        var result = ModelSet.Parse("bad.toml", Header + """
            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            callback = { position = 1 }
            later-parameters = true
            route = { position = 0, syntax = "glob" }
            fixed-keywords = { position = 2, extra = 1 }
            view-factory = "as view"
            reason = "r"
            reference = "x"

            [[callback-source]]
            kind = "remote"
            names = ["a.b"]
            callback = { position = 1 }
            parameter-positions = [0]
            route = { position = 0, syntax = "regex" }
            reason = "r"
            reference = "x"

            [[view-class]]
            kind = "remote"
            bases = ["a..B"]
            request-attributes = ["not-a-name"]
            receiver = ["request"]
            reason = "r"
            reference = "x"

            [[view-class]]
            kind = "remote"
            bases = ["a.Service"]
            handler-prefixes = ["remote_"]
            request-parameter = false
            later-parameters = false
            reason = "r"
            reference = "x"
            """);
        Assert.Equal(
            [
                "bad.toml:8: 'later-parameters' needs 'parameter-positions' (the parameters before the later ones)",
                "bad.toml:9: 'syntax' must be \"django-path\" or \"regex\", not 'glob'",
                "bad.toml:10: unknown key 'extra' in fixed-keywords (allowed: position, keyword, on)",
                "bad.toml:11: 'as view' is not a Python identifier",
                "bad.toml:11: 'view-factory' needs 'handler-methods' (the methods the view's class is called through)",
                "bad.toml:20: 'route' is about the later parameters (URL parts); it needs 'later-parameters = true'",
                "bad.toml:26: 'a..B' is not an API path (dotted names, '()' after a called part, e.g. pickle.Unpickler().load)",
                "bad.toml:24: missing required key 'handler-methods' (or 'handler-prefixes')",
                "bad.toml:27: 'not-a-name' is not a Python identifier",
                "bad.toml:28: unknown key 'receiver' in [[view-class]] (allowed: kind, bases, handler-methods, handler-prefixes, handler-decorators, request-parameter, later-parameters, request-attributes, receiver-request, receiver-data, reason, reference)",
                "bad.toml:37: 'later-parameters = false' keeps only the request; it needs 'request-parameter = true'",
            ],
            result.Errors.Select(e => $"{e.File}:{e.Line}: {e.Message}"));
        Assert.Empty(result.Models.Taint.CallbackSources);
        Assert.Empty(result.Models.Taint.ViewClasses);
    }
}
