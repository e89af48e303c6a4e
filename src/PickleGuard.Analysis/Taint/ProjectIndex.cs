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
    private readonly ProjectModel _project;
    private readonly ModelSet _models;
    private readonly TaintOptions _options;

    // Per module, by its position in the project (ModuleModel.Position); all but the calls are merged by Complete.
    private readonly TaintUnit[][] _moduleUnits;
    private readonly CallInfo[][] _moduleCalls;
    private readonly TaintUnit[][] _moduleCallers;
    private readonly List<(TaintUnit, ParameterSource[])>[] _moduleParameterSources;
    private readonly List<(CallExpr Call, ClassInfo Class, TaintUnit? Init, TaintUnit Caller)>[] _moduleConstructions;
    private readonly ModuleCallFacts[] _moduleCallFacts;

    /// <summary>The enabled parameter-source models that match a method by its parameters (<see cref="ParameterSourceModel.Signature"/>).</summary>
    private readonly ParameterSourceModel[] _signatureModels;

    /// <summary>The number of names in each of <see cref="_signatureModels"/>' signatures: compared first, without asking the model's list.</summary>
    private readonly int[] _signatureLengths;

    /// <summary>Whether the public functions' parameters are sources (the <c>library</c> kind): asked of every function.</summary>
    private readonly bool _librarySources;

    /// <summary>The enabled parameter-source models, by what may make each apply to a function (<see cref="FindParameterSources"/>).</summary>
    private readonly ParameterSourceCandidates _parameterSourceCandidates;

    private ProjectIndex(ProjectModel project, ModelSet models, TaintOptions options)
    {
        _project = project;
        _models = models;
        _options = options;
        _apiFacts = new(Environment.ProcessorCount, ApiPathsBound(project), StringComparer.Ordinal);
        _moduleUnits = new TaintUnit[project.Modules.Count][];
        _moduleCalls = new CallInfo[project.Modules.Count][];
        _moduleCallers = new TaintUnit[project.Modules.Count][];
        _moduleParameterSources = new List<(TaintUnit, ParameterSource[])>[project.Modules.Count];
        _moduleConstructions = new List<(CallExpr, ClassInfo, TaintUnit?, TaintUnit)>[project.Modules.Count];
        _moduleCallFacts = new ModuleCallFacts[project.Modules.Count];
        _modulePropertyReads = new List<(TaintUnit, TaintUnit)>[project.Modules.Count];
        _moduleImports = new ModuleModel[project.Modules.Count][];
        _moduleSinkCallers = new List<TaintUnit>[project.Modules.Count];
        _moduleKeywordTakerCalls = new List<int>?[project.Modules.Count];
        var enabled = models.Taint.ParameterSources.Where(model => options.SourceKinds.Contains(model.Kind)).ToArray();
        _signatureModels = enabled.Where(model => model.Signature.Count > 0).ToArray();
        _signatureLengths = _signatureModels.Select(model => model.Signature.Count).ToArray();
        _librarySources = options.SourceKinds.Contains("library");
        _parameterSourceCandidates = new ParameterSourceCandidates(enabled);
        _viewClassModels = models.Taint.ViewClasses.Where(model => options.SourceKinds.Contains(model.Kind)).ToArray();
        _viewHandlerNames = _viewClassModels.SelectMany(model => model.HandlerMethods).ToHashSet(StringComparer.Ordinal);
        _viewHandlerPrefixes = _viewClassModels.SelectMany(model => model.HandlerPrefixes).Distinct(StringComparer.Ordinal).ToArray();
        _anyHandlerDecorators = _viewClassModels.Any(model => model.HandlerDecorators.Count > 0);
        _annotatedModels = enabled.Where(model => model.AnnotatedWith.Count > 0).ToArray();
        _viewReceiverAttributes = _viewClassModels.SelectMany(model => model.ReceiverRequest.Concat(model.ReceiverData)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The enabled view-class models and the names of their handler methods (see ProjectIndex.Views.cs).</summary>
    private readonly ViewClassModel[] _viewClassModels;
    private readonly HashSet<string> _viewHandlerNames;
    private readonly string[] _viewHandlerPrefixes;
    private readonly HashSet<string> _viewReceiverAttributes;
    private readonly bool _anyHandlerDecorators;
    private readonly ParameterSourceModel[] _annotatedModels;

    public List<TaintUnit> Units { get; } = [];

    /// <summary>The modules importing each module, by its dotted name (<see cref="FactoryReferenceFinder"/>); built on first use.</summary>
    public Dictionary<string, List<ModuleModel>> Importers => LazyInitializer.EnsureInitialized(ref _importers, () => FactoryReferenceFinder.Importers(this));

    private Dictionary<string, List<ModuleModel>>? _importers;

    /// <summary>How many units <see cref="Create"/> made (one per module and per function): the copies made later follow.</summary>
    private int _projectUnitCount;

    /// <summary>The unit of <paramref name="function"/>, or null when it is no function of this project.</summary>
    public TaintUnit? UnitOf(FunctionInfo function) => UnitOfOwnScope(function.Scope);

    /// <summary>
    /// The unit of the function or lambda whose own scope is <paramref name="scope"/>, or null: the number the scope
    /// holds (<see cref="Scope.TaintUnitNumber"/>, filled by <see cref="Create"/>) checked against the unit it names.
    /// </summary>
    private TaintUnit? UnitOfOwnScope(Scope scope) =>
        scope.TaintUnitNumber is var id && (uint)id < (uint)_projectUnitCount && Units[id].Scope == scope ? Units[id] : null;

    public Dictionary<TaintUnit, ParameterSource[]> ParameterSources { get; } = [];

    /// <summary>Per module: the units making a call with a sink (in call order, each once), found while its calls are resolved.</summary>
    private readonly List<TaintUnit>[] _moduleSinkCallers;

    /// <summary>Per module until <see cref="Complete"/>, then by module: the scanned modules whose variables its imports reach.</summary>
    private readonly ModuleModel[][] _moduleImports;
    private readonly Dictionary<ModuleModel, ModuleModel[]> _importedModules = [];

    /// <summary>The other scanned modules whose variables code of <paramref name="module"/> reaches through its imports (<see cref="ImportedVariables.ImportedModules"/>).</summary>
    public IReadOnlyList<ModuleModel> ImportedModulesOf(ModuleModel module) => _importedModules.GetValueOrDefault(module) ?? [];

    /// <summary>What the call <paramref name="call"/> of <paramref name="module"/> resolved to, or null.</summary>
    public CallInfo? CallOf(ModuleModel module, CallExpr call) =>
        module.Position is var m && (uint)m < (uint)_moduleCalls.Length && _project.Modules[m] == module && module.IndexOfCall(call) is >= 0 and var i
            ? _moduleCalls[m][i]
            : null;

    public ProjectModel Project => _project;

    /// <summary>
    /// Step 1 of 3: a unit per module top level and per function (in parallel, merged in module order: the order of
    /// <see cref="Units"/> decides the order of the fixpoint). Then <see cref="ResolveModule"/> for every module, then
    /// <see cref="Complete"/>.
    /// </summary>
    public static ProjectIndex Create(ProjectModel project, ModelSet models, TaintOptions options, CancellationToken ct)
    {
        var index = new ProjectIndex(project, models, options);
        var modules = project.Modules;
        var moduleUnits = index._moduleUnits;
        var moduleNames = new ModuleFunctionNames[modules.Count];
        Parallel.For(0, modules.Count, ScanParallelism.Options(ct), m =>
        {
            var module = modules[m];
            moduleNames[m] = ModuleFunctionNames.Of(module);
            var units = moduleUnits[m] = new TaintUnit[module.Functions.Count + 1];
            units[0] = new TaintUnit(null, module.ModuleScope);
            var next = 1;
            foreach (var function in module.Functions.Values)
            {
                units[next++] = new TaintUnit(function, function.Scope);
            }
        });
        var names = Task.Run(() => index.IndexNames(moduleNames), ct);
        var functionCount = moduleUnits.Sum(units => units.Length - 1);
        index.Units.Capacity = functionCount + modules.Count;
        foreach (var units in moduleUnits)
        {
            foreach (var unit in units)
            {
                unit.Id = index.Units.Count;
                index.Units.Add(unit);
                if (unit.Function is not null)
                {
                    unit.Scope.TaintUnitNumber = unit.Id;
                }
                if (CallerKeywords.MayKnow(unit))
                {
                    index._keywordTakerNames.Add(unit.Name);
                }
            }
        }
        index._projectUnitCount = index.Units.Count;
        // A function's variables are read by the units nested in it (closures) and by nothing else.
        foreach (var unit in index.Units)
        {
            for (var scope = unit.Function is null ? null : unit.Scope.Parent; scope is not null && scope.Kind != ScopeKind.Module; scope = scope.Parent)
            {
                if (scope.Kind is ScopeKind.Function or ScopeKind.Lambda && index.UnitOfOwnScope(scope) is { } outer)
                {
                    outer.EnclosesUnits = true;
                }
            }
        }
        names.GetAwaiter().GetResult();
        return index;
    }

    /// <summary>
    /// Step 2 of 3: what every call of module <paramref name="m"/> resolves to (given its <paramref name="callees"/>,
    /// in the order of <see cref="ModuleModel.Calls"/>), each call's caller (the nearest enclosing function or the
    /// top level), and the module's parameter sources. Safe to run for different modules in parallel; the results
    /// are merged by <see cref="Complete"/>, not into shared collections (those were lock-bound).
    /// </summary>
    public void ResolveModule(int m, IReadOnlyList<SymbolicValue>[] callees, IReadOnlyList<Detection.SinkReference> references, ValueResolver resolver)
    {
        var module = _project.Modules[m];
        var infos = _moduleCalls[m] = new CallInfo[module.Calls.Count];
        var siteCallers = _moduleCallers[m] = new TaintUnit[module.Calls.Count];
        Scope? lastScope = null;
        TaintUnit? lastCaller = null;
        for (var i = 0; i < module.Calls.Count; i++)
        {
            var site = module.Calls[i];
            infos[i] = Resolve(site, callees[i], resolver);
            if (site.Scope != lastScope) // calls come in runs of the same scope
            {
                lastScope = site.Scope;
                lastCaller = UnitOfScope(site.Scope) ?? _moduleUnits[m][0];
            }
            siteCallers[i] = lastCaller!;
            NoteKeywordTakerCall(m, i, site);
        }
        AddReferenceSinks(infos, module, references);
        var sinkCallers = _moduleSinkCallers[m] = [];
        for (var i = 0; i < infos.Length; i++)
        {
            if (!infos[i].Sinks.IsEmpty && !sinkCallers.Contains(siteCallers[i]))
            {
                sinkCallers.Add(siteCallers[i]);
                siteCallers[i].CallsSinks = true;
            }
        }
        DropLambdasWithoutSinks(infos);
        FindCallFacts(m);
        _modulePropertyReads[m] = PropertyReadsOf(m, resolver);
        _moduleImports[m] = ImportedVariables.ImportedModules(module, _project);
        var sources = _moduleParameterSources[m] = [];
        foreach (var unit in _moduleUnits[m].AsSpan(1))
        {
            if (MayHaveParameterSources(unit) && FindParameterSources(unit, resolver) is { Length: > 0 } found)
            {
                sources.Add((unit, found));
            }
        }
    }

    /// <summary>Step 3 of 3: merges the modules' calls and parameter sources and draws the call graph's edges.</summary>
    public void Complete()
    {
        var modules = _project.Modules;
        MergeWidgetStates();
        MergeKeywordTakerCalls();
        var edges = new TaintUnit.Edges(EdgeCountBound() + _dispatchEdges);
        // The merged tables made at their size (growing them by doubling was 3 MB on the stdlib).
        _importedModules.EnsureCapacity(modules.Count);
        ParameterSources.EnsureCapacity(_moduleParameterSources.Sum(sources => sources.Count));
        Constructions.EnsureCapacity(_moduleConstructions.Sum(constructions => constructions.Count));
        for (var m = 0; m < modules.Count; m++)
        {
            var module = modules[m];
            _importedModules[module] = _moduleImports[m];
            foreach (var (unit, sources) in _moduleParameterSources[m])
            {
                ParameterSources[unit] = sources;
            }
            foreach (var (call, cls, init, caller) in _moduleConstructions[m])
            {
                Constructions[call] = (cls, init, caller);
            }
            foreach (var (reader, getter) in _modulePropertyReads[m])
            {
                edges.Add(reader, getter);
                foreach (var copy in ReceiverCopiesOf(reader))
                {
                    edges.Add(copy, getter);
                }
            }
            // Call graph edges, in call order; a copy of a method for a receiver class calls what the method calls.
            for (var i = 0; i < module.Calls.Count; i++)
            {
                var caller = _moduleCallers[m][i];
                var info = _moduleCalls[m][i];
                AddCallEdges(edges, caller, info);
                foreach (var copy in ReceiverCopiesOf(caller))
                {
                    AddCallEdges(edges, copy, info);
                }
            }
        }
        TaintUnit.Link(Units, edges);
        // After the module's own parameter sources: a callback registered elsewhere adds to them.
        MergeCallbackSources();
        ShareParameterSourcesWithCopies();
    }

    /// <summary>The call graph edges from <paramref name="caller"/> that a call resolved to <paramref name="info"/> draws.</summary>
    private static void AddCallEdges(TaintUnit.Edges edges, TaintUnit caller, CallInfo info)
    {
        foreach (var (callee, _) in info.Functions)
        {
            edges.Add(caller, callee);
        }
        foreach (var (_, init) in info.Classes)
        {
            if (init is not null)
            {
                edges.Add(caller, init);
            }
        }
        if (info.Invoked is { Unit: var invoked })
        {
            edges.Add(caller, invoked);
        }
        foreach (var (hook, _) in info.Hooks?.Units ?? [])
        {
            edges.Add(caller, hook);
        }
        // The methods of the objects passed that the callee calls on its parameters: the caller reads what they return.
        foreach (var method in info.ObjectMethods ?? [])
        {
            edges.Add(caller, method.Unit);
        }
    }

    /// <summary>At least the number of edges <see cref="Complete"/> draws: the edges made at their size instead of grown by doubling (8 MB on the stdlib).</summary>
    private int EdgeCountBound()
    {
        var count = 0;
        for (var m = 0; m < _moduleCalls.Length; m++)
        {
            count += _modulePropertyReads[m].Count + _moduleCallFacts[m].EdgeCount;
        }
        return count;
    }

    /// <summary>The units that make a call with a sink (directly or as a reference), module by module.</summary>
    public IEnumerable<TaintUnit> UnitsCallingSinks() => _moduleSinkCallers.SelectMany(callers => callers);

    /// <summary>The function or lambda unit whose code runs in <paramref name="scope"/> (the nearest enclosing one), or null at a module's top level.</summary>
    public TaintUnit? UnitOfScope(Scope scope)
    {
        for (Scope? s = scope; s is not null; s = s.Parent)
        {
            if (s.Kind == ScopeKind.Module)
            {
                return null;
            }
            if (UnitOfOwnScope(s) is { } unit)
            {
                return unit;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether some enabled parameter-source model could apply to <paramref name="unit"/> at all: a decorator to
    /// resolve, its name or its first parameter's name listed by a model, or library sources on. One set lookup for
    /// most functions instead of every model's lists.
    /// </summary>
    /// <summary>Whether the function's parameters (after <c>self</c> for a method) are exactly <paramref name="names"/>, in order.</summary>
    private static bool HasSignature(TaintUnit unit, IReadOnlyList<string> names)
    {
        var first = unit.TakesReceiver ? 1 : 0;
        if (unit.Parameters.Length != names.Count + first)
        {
            return false;
        }
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] != "*" && unit.Parameters[i + first].ArgValue != names[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The written name of a base of <paramref name="cls"/> that ends with <paramref name="suffix"/> (<c>pb2_grpc.GreeterServicer</c>), else null.</summary>
    private static string? BaseNamed(ClassInfo cls, string suffix)
    {
        foreach (var written in cls.Node.Bases)
        {
            var name = written switch
            {
                NameExpr n => n.Id,
                AttributeExpr a => a.Attr,
                _ => null,
            };
            if (name is not null && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name;
            }
        }
        return null;
    }

    private bool MayHaveParameterSources(TaintUnit unit)
    {
        var function = unit.Function!;
        var first = unit.TakesReceiver ? 1 : 0;
        return _parameterSourceCandidates.ListsFunction(function.Name)
            || unit.Parameters.Length > first && _parameterSourceCandidates.ListsFirstParameter(unit.Parameters[first].ArgValue)
            || unit.TakesReceiver && MayBeViewHandler(function)
            || _annotatedModels.Length > 0 && HasAnnotatedParameter(unit)
            || _signatureModels.Length > 0 && HasSomeSignature(unit)
            || _parameterSourceCandidates.AnyDecorated && function.Decorators.Count > 0
            || _librarySources;
    }

    /// <summary>Whether some signature model matches the unit (a plain loop: this runs for every function, a lambda made two objects each time).</summary>
    private bool HasSomeSignature(TaintUnit unit)
    {
        var parameters = unit.Parameters.Length - (unit.TakesReceiver ? 1 : 0);
        for (var i = 0; i < _signatureModels.Length; i++)
        {
            if (_signatureLengths[i] == parameters && HasSignature(unit, _signatureModels[i].Signature))
            {
                return true;
            }
        }
        return false;
    }

    private ParameterSource[] FindParameterSources(TaintUnit unit, ValueResolver resolver)
    {
        var function = unit.Function!;
        var result = new List<ParameterSource>();
        var first = unit.TakesReceiver ? 1 : 0;
        var decorators = function.Decorators;
        IReadOnlyList<string>? decoratorPaths = null;
        AddViewHandlerSources(unit, resolver, result);
        AddAnnotatedSources(unit, resolver, result);
        // Only the models that may apply, in model order (the others label nothing: ParameterSourceCandidates).
        var models = _parameterSourceCandidates.Models;
        Span<bool> candidates = models.Count <= 256 ? stackalloc bool[models.Count] : new bool[models.Count];
        candidates.Clear();
        _parameterSourceCandidates.Mark(function.Name, unit.Parameters.Length > first ? unit.Parameters[first].ArgValue : null, decorators.Count > 0, candidates);
        for (var m = 0; m < models.Count; m++) // not foreach: an enumerator per function
        {
            if (!candidates[m])
            {
                continue;
            }
            var model = models[m];
            string? label = null;
            if (model.DecoratedBy.Count > 0 && decorators.Count > 0)
            {
                decoratorPaths ??= DecoratorPaths(function, decorators, resolver);
                label = FirstListed(decoratorPaths, model.DecoratedBy) is { } path ? $"parameter of a @{path} function" : null;
            }
            if (label is null && model.FunctionNames.Contains(function.Name))
            {
                label = $"parameter of {function.Name}()";
            }
            if (label is null && model.Signature.Count > 0 && HasSignature(unit, model.Signature))
            {
                if (model.BaseNameSuffix is null)
                {
                    label = $"parameter of {function.Name}({string.Join(", ", model.Signature)})";
                }
                else if (unit.TakesReceiver && BaseNamed(function.Owner!, model.BaseNameSuffix) is { } servicer)
                {
                    label = $"parameter of {function.Owner!.Name}.{function.Name}, a {servicer} method";
                }
            }
            if (label is null && model.FirstParameterNames.Count > 0 && unit.Parameters.Length > first
                && model.FirstParameterNames.Contains(unit.Parameters[first].ArgValue) && !model.ExceptFunctionNames.Contains(function.Name)
                && !IsTypedAsProjectMessage(unit, first, resolver))
            {
                if (HasSourceAt(result, first))
                {
                    continue; // a view class's handler: its request is already a source, labelled with the class
                }
                for (var i = first; i < unit.Parameters.Length && i == first; i++)
                {
                    result.Add(new ParameterSource(i, model.Kind, unit.Parameters[i].ArgValue, model.Attributes.Count > 0 ? model.Attributes : null));
                }
                continue;
            }
            if (label is null)
            {
                continue;
            }
            for (var i = first; i < unit.Parameters.Length; i++)
            {
                var name = unit.Parameters[i].ArgValue;
                if (model.ParameterNames.Count == 0 || model.ParameterNames.Contains(name))
                {
                    result.Add(new ParameterSource(i, model.Kind, $"{label.Replace("parameter", $"parameter '{name}'", StringComparison.Ordinal)}",
                        model.Attributes.Count > 0 ? model.Attributes : null));
                }
            }
        }
        if (_librarySources && IsPublic(unit))
        {
            for (var i = first; i < unit.Parameters.Length; i++)
            {
                result.Add(new ParameterSource(i, "library", $"parameter '{unit.Parameters[i].ArgValue}' of public {unit.Module.Name}.{PublicName(function)}()", null));
            }
        }
        return [.. result];
    }

    // Plain loops, not lambdas: a lambda capturing a loop's model or a method's local made a closure per model and unit.

    /// <summary>The first of <paramref name="paths"/> that <paramref name="listed"/> holds, or null.</summary>
    private static string? FirstListed(IReadOnlyList<string> paths, IReadOnlyList<string> listed)
    {
        for (var i = 0; i < paths.Count; i++) // not foreach: an enumerator per question
        {
            if (listed.Contains(paths[i]))
            {
                return paths[i];
            }
        }
        return null;
    }

    private static bool HasSourceAt(List<ParameterSource> sources, int index)
    {
        foreach (var source in sources)
        {
            if (source.Index == index)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A function a library's callers can reach: not underscored (but a protocol method such as <c>__init__</c> or
    /// <c>__call__</c> of a public class is: <c>Store(blob)</c> hands the caller's data to it), defined at module
    /// level or in a public class, in a module none of whose package parts is underscored.
    /// </summary>
    private static bool IsPublic(TaintUnit unit) =>
        unit.Function is { } function && function.Node is not LambdaExpr && IsPublicName(function.Name)
        && function.Scope.Parent is { Kind: ScopeKind.Module or ScopeKind.Class }
        && (function.Owner is null || IsPublicName(function.Owner.Name))
        && !unit.Module.Name.Split('.').Any(part => part.StartsWith('_'));

    /// <summary>How a caller names the function: <c>load</c>, <c>Store.value</c>, <c>Store</c> for its constructor.</summary>
    private static string PublicName(FunctionInfo function) => function.Owner is not { } owner ? function.Name
        : function.Name == "__init__" ? owner.Name : $"{owner.Name}.{function.Name}";

    private static bool IsPublicName(string name) =>
        !name.StartsWith('_') || name.Length > 4 && name.StartsWith("__", StringComparison.Ordinal) && name.EndsWith("__", StringComparison.Ordinal);

    /// <summary>The API paths the decorators resolve to (plain loops: LINQ made five objects per decorated function).</summary>
    private static IReadOnlyList<string> DecoratorPaths(FunctionInfo function, IReadOnlyList<Expr> decorators, ValueResolver resolver)
    {
        var context = EvalContext.DeclarationOf(function);
        List<string>? paths = null;
        for (var d = 0; d < decorators.Count; d++)
        {
            var values = resolver.Resolve(decorators[d] is CallExpr call ? call.Func : decorators[d], context);
            for (var v = 0; v < values.Count; v++)
            {
                if (values[v] is ApiValue api)
                {
                    (paths ??= []).Add(api.Path);
                }
            }
        }
        return paths ?? (IReadOnlyList<string>)[];
    }
}
