using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Class-based views recognised by their bases (<c>[[view-class]]</c> models: Django's <c>View</c> and generic views,
/// DRF's <c>APIView</c> and viewsets), routed or not: their handler methods get the request and the URL's parts,
/// and <c>self.request</c>, <c>self.kwargs</c> are client data in any of their methods.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>The view-class model each class met so far matches (null: none), shared by the workers.</summary>
    private readonly ConcurrentDictionary<ClassInfo, ViewClassModel?> _viewClassOf = new();

    /// <summary>
    /// The enabled view-class model <paramref name="cls"/> matches: one of the model's bases is a base of the class
    /// or of one of its project bases, as a library API path or as a project class of that qualified name (a scan of
    /// Django itself, where <c>django.views.generic.base.View</c> is project code). Null when it matches none.
    /// </summary>
    public ViewClassModel? ViewClassOf(ClassInfo cls, ValueResolver resolver)
    {
        if (_viewClassModels.Length == 0)
        {
            return null;
        }
        return _viewClassOf.GetOrAdd(cls, static (c, state) => state.Index.FindViewClass(c, state.Resolver), (Index: this, Resolver: resolver));
    }

    /// <summary>
    /// Parameters annotated with a request class (<c>def parse(r: HttpRequest)</c>) or a client of a store
    /// (<c>connection: Optional['Redis']</c>, <see cref="AnnotationTypes"/>): its data, by attribute, in any function,
    /// whatever the parameter's name or position (a parameter that is already a source keeps its source).
    /// </summary>
    private void AddAnnotatedSources(TaintUnit unit, ValueResolver resolver, List<ParameterSource> result)
    {
        if (_annotatedModels.Length == 0)
        {
            return;
        }
        var function = unit.Function!;
        var context = EvalContext.DeclarationOf(function);
        // Plain loops and one list of paths per function: the LINQ chains made closures and arrays for every parameter.
        // A parameter with neither annotation nor guard is skipped below: no other test of the whole function first.
        var anyGuard = HasGuard(function.Body);
        List<string>? paths = null;
        for (var i = unit.TakesReceiver ? 1 : 0; i < unit.Parameters.Length; i++)
        {
            if (HasSourceAt(result, i))
            {
                continue;
            }
            var annotation = unit.Parameters[i].Annotation;
            var guarded = anyGuard ? InstanceGuard(function, unit.Parameters[i].ArgValue) : null;
            if (annotation is null && guarded is null)
            {
                continue;
            }
            paths ??= [];
            paths.Clear();
            if (annotation is not null)
            {
                foreach (var type in AnnotatedTypes(annotation, context, resolver))
                {
                    AddTypePaths(type, resolver, paths);
                }
            }
            if (guarded is not null)
            {
                foreach (var type in GuardedTypes(guarded))
                {
                    foreach (var value in resolver.Resolve(type, new EvalContext(function.Scope, type.Span.Start, function.Scope.Body)))
                    {
                        AddTypePaths(value, resolver, paths);
                    }
                }
            }
            if (AnnotatedModelOf(paths) is { } model)
            {
                result.Add(new ParameterSource(i, model.Kind, unit.Parameters[i].ArgValue, model.Attributes.Count > 0 ? model.Attributes : null));
            }
        }
    }

    /// <summary>The first annotated-parameter model that lists one of <paramref name="paths"/>, or null.</summary>
    private ParameterSourceModel? AnnotatedModelOf(List<string> paths)
    {
        foreach (var model in _annotatedModels)
        {
            foreach (var path in paths)
            {
                if (model.AnnotatedWith.Contains(path))
                {
                    return model;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// Whether parameter <paramref name="index"/> is annotated with project classes that derive from no request type
    /// a model knows (vLLM's <c>add_request(self, request: EngineCoreRequest)</c>, a message the program builds): then
    /// its name does not make it a view's request. A project subclass of a framework's request still is one.
    /// </summary>
    private bool IsTypedAsProjectMessage(TaintUnit unit, int index, ValueResolver resolver)
    {
        if (unit.Parameters[index].Annotation is not { } annotation)
        {
            return false;
        }
        var types = AnnotatedTypes(annotation, EvalContext.DeclarationOf(unit.Function!), resolver).ToArray();
        if (types.Length == 0)
        {
            return false;
        }
        foreach (var type in types)
        {
            if (type is not ClassValue)
            {
                return false;
            }
        }
        var paths = new List<string>();
        foreach (var type in types)
        {
            AddTypePaths(type, resolver, paths);
        }
        return AnnotatedModelOf(paths) is null;
    }

    /// <summary>Where a function's annotations and decorators are evaluated: the scope that defines it, at the definition.</summary>
    /// <summary>What the types an annotation names resolve to (<c>Optional[Redis]</c>: <c>Redis</c>).</summary>
    private static IEnumerable<SymbolicValue> AnnotatedTypes(Expr annotation, EvalContext context, ValueResolver resolver)
    {
        foreach (var type in AnnotationTypes.Of(annotation))
        {
            foreach (var value in resolver.Resolve(type, context))
            {
                yield return value;
            }
        }
    }

    /// <summary>
    /// Adds the library classes an annotation's type is: an API's path, and for a project class the library classes it
    /// derives from (<c>class ArqRedis(redis.asyncio.Redis)</c>: a parameter typed <c>ArqRedis</c> is a Redis client).
    /// </summary>
    private static void AddTypePaths(SymbolicValue type, ValueResolver resolver, List<string> paths)
    {
        if (type is ApiValue api)
        {
            paths.Add(api.Path);
        }
        else if (type is ClassValue cls)
        {
            foreach (var current in resolver.ClassAndBases(cls.Class))
            {
                var bases = resolver.Bases(current);
                for (var b = 0; b < bases.Count; b++)
                {
                    if (bases[b] is ApiValue baseApi)
                    {
                        paths.Add(baseApi.Path);
                    }
                }
            }
        }
    }

    private static bool HasAnnotatedParameter(TaintUnit unit)
    {
        foreach (var parameter in unit.Parameters)
        {
            if (parameter.Annotation is not null)
            {
                return true;
            }
        }
        var body = unit.Function!.Body;
        for (var i = 0; i < body.Count; i++) // not foreach: no enumerator object per function
        {
            if (Guard(body[i]) is var (name, _) && unit.IndexOfParameter(name) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether some statement of <paramref name="body"/>'s top level is an <see cref="InstanceGuard"/>.</summary>
    private static bool HasGuard(IReadOnlyList<Stmt> body)
    {
        for (var i = 0; i < body.Count; i++) // not foreach: no enumerator object per function
        {
            if (Guard(body[i]) is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The type a statement of the body's top level checks <paramref name="parameter"/> against, raising otherwise:
    /// <c>if not isinstance(redis_, Redis): raise ValueError(...)</c> or <c>assert isinstance(redis_, Redis)</c>
    /// (LangChain's RedisCache takes <c>redis_: Any</c>). Past it the parameter is one, as if annotated so.
    /// </summary>
    private static Expr? InstanceGuard(FunctionInfo function, string parameter)
    {
        foreach (var statement in function.Body)
        {
            if (Guard(statement) is var (name, type) && name == parameter)
            {
                return type;
            }
        }
        return null;
    }

    /// <summary>The name and type of <c>if not isinstance(name, type): raise ...</c> or <c>assert isinstance(name, type)</c>.</summary>
    private static (string Name, Expr Type)? Guard(Stmt statement)
    {
        var test = statement switch
        {
            IfStmt { Test: UnaryOpExpr { Op: UnaryOperator.Not, Operand: var negated }, Body: [RaiseStmt], Orelse.Count: 0 } => negated,
            AssertStmt assertion => assertion.Test,
            _ => null,
        };
        return test is CallExpr { Func: NameExpr { Id: "isinstance" }, Args: [NameExpr checkedName, var type], Keywords.Count: 0 }
            ? (checkedName.Id, type)
            : null;
    }

    /// <summary>The classes an <c>isinstance</c> check names: one, or each of a tuple of them.</summary>
    private static IReadOnlyList<Expr> GuardedTypes(Expr type) => type is TupleExpr tuple ? tuple.Elts : [type];

    /// <summary>Whether <paramref name="function"/> has a decorator that resolves to one of <paramref name="paths"/> (<c>@action(detail=True)</c>).</summary>
    private static bool IsDecoratedBy(FunctionInfo function, IReadOnlyList<string> paths, ValueResolver resolver) =>
        paths.Count > 0 && function.Decorators is { Count: > 0 } decorators && DecoratorPaths(function, decorators, resolver).Any(paths.Contains);


    /// <summary>Whether some enabled view-class model names <paramref name="attribute"/> as the request or client data on the view (<c>self.request</c>).</summary>
    public bool IsViewReceiverAttribute(string attribute) => _viewReceiverAttributes.Contains(attribute);

    private ViewClassModel? FindViewClass(ClassInfo cls, ValueResolver resolver)
    {
        foreach (var current in resolver.ClassAndBases(cls))
        {
            foreach (var model in _viewClassModels)
            {
                if (current != cls && model.Bases.Contains(current.DefiningScope.Module.Name + "." + current.Name))
                {
                    return model;
                }
            }
            foreach (var baseValue in resolver.Bases(current))
            {
                if (baseValue is ApiValue api && _viewClassModels.FirstOrDefault(m => m.Bases.Contains(api.Path)) is { } model)
                {
                    return model;
                }
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="function"/> is named or decorated like a handler of some view-class model (a quick test before the class's bases).</summary>
    private bool MayBeViewHandler(FunctionInfo function)
    {
        if (_viewHandlerNames.Contains(function.Name) || _anyHandlerDecorators && function.Decorators.Count > 0)
        {
            return true;
        }
        foreach (var prefix in _viewHandlerPrefixes)
        {
            if (function.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A handler method of a view class (<c>def get(self, request, pk)</c>): the request (by attribute) and every
    /// later parameter, the URL's parts, which a route that reads its captures replaces (<see cref="MergeCallbackSources"/>).
    /// A class without a request parameter (an rpyc service's <c>exposed_</c> methods): every parameter, as the peer's argument.
    /// A class without later parameters (a TorchServe handler): the request only.
    /// </summary>
    private void AddViewHandlerSources(TaintUnit unit, ValueResolver resolver, List<ParameterSource> result)
    {
        if (!unit.TakesReceiver || unit.IsClassMethod || unit.Function!.Owner is not { } owner || unit.Parameters.Length < 2
            || !MayBeViewHandler(unit.Function)
            || ViewClassOf(owner, resolver) is not { } model
            || !model.IsHandlerName(unit.Function.Name) && !IsDecoratedBy(unit.Function, model.HandlerDecorators, resolver))
        {
            return;
        }
        if (!model.RequestParameter)
        {
            for (var i = 1; i < unit.Parameters.Length; i++)
            {
                result.Add(new ParameterSource(i, model.Kind, $"argument '{unit.Parameters[i].ArgValue}' of {owner.Name}.{unit.Function.Name}(), which a peer calls", null));
            }
            return;
        }
        var attributes = model.RequestAttributes.Count > 0 ? model.RequestAttributes : null;
        if (!model.LaterParameters)
        {
            // The request alone: what follows is the server's (TorchServe's handle(self, data, context)).
            result.Add(new ParameterSource(1, model.Kind, $"parameter '{unit.Parameters[1].ArgValue}' of {owner.Name}.{unit.Function.Name}()", attributes));
            return;
        }
        var label = $"{owner.Name}.{unit.Function.Name}() of a view class";
        result.Add(new ParameterSource(1, model.Kind, unit.Parameters[1].ArgValue, attributes));
        for (var i = 2; i < unit.Parameters.Length; i++)
        {
            result.Add(new ParameterSource(i, model.Kind, $"URL part '{unit.Parameters[i].ArgValue}' of {label}", null) { ByViewClass = true });
        }
    }
}
