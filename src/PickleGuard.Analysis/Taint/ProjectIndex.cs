using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The call graph and everything the fixpoint needs from name resolution, computed once and in parallel (one
/// resolver per worker): every call's targets (project functions, classes, modelled sources, sinks, sanitizers)
/// and every parameter source.
/// </summary>
internal sealed partial class ProjectIndex
{
    private readonly ModelSet _models;
    private readonly TaintOptions _options;

    private ProjectIndex(ModelSet models, TaintOptions options)
    {
        _models = models;
        _options = options;
    }

    public List<TaintUnit> Units { get; } = [];

    public Dictionary<FunctionInfo, TaintUnit> UnitOf { get; } = [];

    private readonly Dictionary<Scope, TaintUnit> _unitOfScope = [];

    /// <summary>What each call resolved to, per module, in the order of <see cref="ModuleModel.Calls"/>.</summary>
    private readonly Dictionary<ModuleModel, CallInfo[]> _calls = [];

    public Dictionary<TaintUnit, ParameterSource[]> ParameterSources { get; } = [];

    /// <summary>What the call <paramref name="call"/> of <paramref name="module"/> resolved to, or null.</summary>
    public CallInfo? CallOf(ModuleModel module, CallExpr call) =>
        _calls.TryGetValue(module, out var calls) && module.IndexOfCall(call) is >= 0 and var i ? calls[i] : null;

    /// <param name="resolved">Callees already resolved by sink detection; calls it lacks are resolved here.</param>
    public static ProjectIndex Build(ProjectModel project, ModelSet models, TaintOptions options, ISet<string> modelNamespaces, CancellationToken ct,
        ResolvedCalls? resolved = null)
    {
        var index = new ProjectIndex(models, options);
        var modules = project.Modules;
        var parallel = new ParallelOptions { CancellationToken = ct };
        // Units per module in parallel (the module's top level, then its functions), merged in module order: the
        // order of Units decides the order of the fixpoint.
        var moduleUnits = new TaintUnit[modules.Count][];
        Parallel.For(0, modules.Count, parallel, m =>
        {
            var module = modules[m];
            var units = moduleUnits[m] = new TaintUnit[module.Functions.Count + 1];
            units[0] = new TaintUnit(module, null, module.ModuleScope);
            var next = 1;
            foreach (var function in module.Functions.Values)
            {
                units[next++] = new TaintUnit(module, function, function.Scope);
            }
        });
        var functionCount = moduleUnits.Sum(units => units.Length - 1);
        index.Units.Capacity = functionCount + modules.Count;
        index.UnitOf.EnsureCapacity(functionCount);
        index._unitOfScope.EnsureCapacity(functionCount);
        foreach (var units in moduleUnits)
        {
            foreach (var unit in units)
            {
                unit.Id = index.Units.Count;
                index.Units.Add(unit);
                if (unit.Function is { } function)
                {
                    index.UnitOf[function] = unit;
                    index._unitOfScope[unit.Scope] = unit;
                }
            }
        }
        // Calls and parameter sources per module in parallel, merged afterwards: a shared concurrent dictionary
        // here was lock-bound. Each call also gets its caller: the nearest enclosing function (or the top level).
        var calls = new CallInfo[modules.Count][];
        var callers = new TaintUnit[modules.Count][];
        var parameterSources = new List<(TaintUnit, ParameterSource[])>[modules.Count];
        Parallel.For(
            0,
            modules.Count,
            parallel,
            () => new ValueResolver(project, modelNamespaces),
            (m, _, resolver) =>
            {
                var module = modules[m];
                var infos = calls[m] = new CallInfo[module.Calls.Count];
                var siteCallers = callers[m] = new TaintUnit[module.Calls.Count];
                for (var i = 0; i < module.Calls.Count; i++)
                {
                    var site = module.Calls[i];
                    infos[i] = index.Resolve(site, resolved?.Callees(module, i) ?? resolver.Resolve(site.Call.Func, EvalContext.At(site)), resolver);
                    siteCallers[i] = index.UnitOfScope(site.Scope) ?? moduleUnits[m][0];
                }
                var sources = parameterSources[m] = [];
                foreach (var unit in moduleUnits[m].Skip(1))
                {
                    if (index.FindParameterSources(unit, resolver) is { Length: > 0 } found)
                    {
                        sources.Add((unit, found));
                    }
                }
                return resolver;
            },
            _ => { });
        for (var m = 0; m < modules.Count; m++)
        {
            var module = modules[m];
            index._calls[module] = calls[m];
            foreach (var (unit, sources) in parameterSources[m])
            {
                index.ParameterSources[unit] = sources;
            }
            // Call graph edges, in call order.
            for (var i = 0; i < module.Calls.Count; i++)
            {
                var caller = callers[m][i];
                var info = calls[m][i];
                foreach (var (callee, _) in info.Functions)
                {
                    caller.Callees.Add(callee);
                    callee.Callers.Add(caller);
                }
                foreach (var (_, init) in info.Classes)
                {
                    if (init is not null)
                    {
                        caller.Callees.Add(init);
                        init.Callers.Add(caller);
                    }
                }
            }
        }
        // After the module's own parameter sources: a callback registered elsewhere adds to them.
        index.MergeCallbackSources();
        return index;
    }

    private TaintUnit? UnitOfScope(Scope scope)
    {
        for (Scope? s = scope; s is not null; s = s.Parent)
        {
            if (s.Kind == ScopeKind.Module)
            {
                return null;
            }
            if (_unitOfScope.TryGetValue(s, out var unit))
            {
                return unit;
            }
        }
        return null;
    }

    private CallInfo Resolve(CallSite site, IReadOnlyList<SymbolicValue> callees, ValueResolver resolver)
    {
        var info = new CallInfo();
        if (callees.Count == 0 && site.Call.Func is NameExpr name)
        {
            // `decode = lambda blob: ...; decode(x)`: the resolver does not follow lambdas; their units do.
            foreach (var binding in resolver.ReachingBindings(name.Id, EvalContext.At(site)))
            {
                if (binding.Value is LambdaExpr lambda && binding.Scope.Module.Functions.TryGetValue(lambda, out var function))
                {
                    info.AddFunction(UnitOf[function], false);
                }
            }
        }
        if (callees.Count == 0 && info.Functions.IsEmpty)
        {
            info.PassesThrough = true;
        }
        for (var i = 0; i < callees.Count; i++) // not foreach: no enumerator object per call
        {
            switch (callees[i])
            {
                case FunctionValue function when UnitOf.TryGetValue(function.Function, out var unit):
                    info.AddFunction(unit, unit.TakesReceiver && (function.BoundTo is not null || unit.IsClassMethod));
                    break;
                case ClassValue cls:
                    var init = resolver.Member(cls, "__init__").OfType<FunctionValue>().FirstOrDefault();
                    info.AddClass(cls.Class, init is not null ? UnitOf.GetValueOrDefault(init.Function) : null);
                    break;
                case ApiValue api:
                    ClassifyApi(info, site, api);
                    RegisterCallbacks(site, api, resolver);
                    break;
                default:
                    info.PassesThrough = true;
                    break;
            }
        }
        return info;
    }

    private void ClassifyApi(CallInfo info, CallSite site, ApiValue api)
    {
        info.PassesThrough = true;
        if (_models.Taint.SourceFor(api.Path) is { } source && _options.SourceKinds.Contains(source.Model.Kind))
        {
            info.Source ??= source;
        }
        if (_models.Taint.SanitizerFor(api.Path) is { } sanitizer)
        {
            if (sanitizer.Effect == SanitizerEffect.Guard)
            {
                info.Guard = sanitizer;
            }
            else
            {
                info.Sanitizer = sanitizer;
                info.Clears |= sanitizer.Effect == SanitizerEffect.Clears;
            }
        }
        if (_models.SerializerFor(api.Path) is not null)
        {
            info.Clears = true;
        }
        foreach (var sink in _models.SinksFor(api.Path))
        {
            info.AddSink(new SinkKey(site.Scope.Module, site.Call, sink, Detection.ProvenanceEvaluator.Display(api.Path)));
        }
    }

    private ParameterSource[] FindParameterSources(TaintUnit unit, ValueResolver resolver)
    {
        var function = unit.Function!;
        var result = new List<ParameterSource>();
        var first = unit.TakesReceiver ? 1 : 0;
        var decorators = function.Node switch
        {
            FunctionDefStmt def => def.DecoratorList,
            AsyncFunctionDefStmt def => def.DecoratorList,
            _ => [],
        };
        IReadOnlyList<string>? decoratorPaths = null;
        foreach (var model in _models.Taint.ParameterSources)
        {
            if (!_options.SourceKinds.Contains(model.Kind))
            {
                continue;
            }
            string? label = null;
            if (model.DecoratedBy.Count > 0 && decorators.Count > 0)
            {
                decoratorPaths ??= DecoratorPaths(function, decorators, resolver);
                label = decoratorPaths.FirstOrDefault(p => model.DecoratedBy.Contains(p)) is { } path ? $"parameter of a @{path} function" : null;
            }
            if (label is null && model.FunctionNames.Contains(function.Name))
            {
                label = $"parameter of {function.Name}()";
            }
            if (label is null && model.FirstParameterNames.Count > 0 && unit.Parameters.Count > first
                && model.FirstParameterNames.Contains(unit.Parameters[first].ArgValue))
            {
                for (var i = first; i < unit.Parameters.Count && i == first; i++)
                {
                    result.Add(new ParameterSource(i, model.Kind, unit.Parameters[i].ArgValue, model.Attributes.Count > 0 ? model.Attributes : null));
                }
                continue;
            }
            if (label is null)
            {
                continue;
            }
            for (var i = first; i < unit.Parameters.Count; i++)
            {
                var name = unit.Parameters[i].ArgValue;
                if (model.ParameterNames.Count == 0 || model.ParameterNames.Contains(name))
                {
                    result.Add(new ParameterSource(i, model.Kind, $"{label.Replace("parameter", $"parameter '{name}'", StringComparison.Ordinal)}",
                        model.Attributes.Count > 0 ? model.Attributes : null));
                }
            }
        }
        if (_options.SourceKinds.Contains("library") && IsPublic(unit))
        {
            for (var i = first; i < unit.Parameters.Count; i++)
            {
                result.Add(new ParameterSource(i, "library", $"parameter '{unit.Parameters[i].ArgValue}' of public {unit.Module.Name}.{function.Name}()", null));
            }
        }
        return [.. result];
    }

    private static bool IsPublic(TaintUnit unit) =>
        unit.Function is { } function && function.Node is not LambdaExpr && !function.Name.StartsWith('_')
        && function.Scope.Parent is { Kind: ScopeKind.Module or ScopeKind.Class }
        && !unit.Module.Name.Split('.').Any(part => part.StartsWith('_'));

    private static IReadOnlyList<string> DecoratorPaths(FunctionInfo function, IReadOnlyList<Expr> decorators, ValueResolver resolver)
    {
        var scope = function.Scope.Parent ?? function.Scope;
        var context = new EvalContext(scope, function.Node.Span.Start, scope.Body);
        return decorators
            .SelectMany(d => resolver.Resolve(d is CallExpr call ? call.Func : d, context))
            .OfType<ApiValue>()
            .Select(a => a.Path)
            .ToArray();
    }
}
