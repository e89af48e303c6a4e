using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Steps 1 and 2 of the review method for one module: imports of deserialization libraries (info) and every call
/// that resolves to a modelled sink, graded by the provenance of its input and by recognised mitigations.
/// </summary>
internal sealed partial class SinkDetector
{
    private readonly ModelSet _models;
    private readonly ValueResolver _resolver;
    private readonly ProvenanceEvaluator _provenance;
    private readonly FindClassAnalyzer _findClass;
    private readonly HashSet<string> _sinkLastSegments;
    private readonly Dictionary<string, List<(SinkModel Sink, string Class, string Method)>> _constructorSinks;

    /// <summary>The sinks' last names with the decoding classes' (<see cref="_constructorSinks"/>): what an argument must be named to be a reference to one.</summary>
    private readonly HashSet<string> _referenceNames;
    private readonly Dictionary<string, SinkModel> _moduleSinks;
    private readonly SettingDetector _settings;
    private readonly Dictionary<string, ApiValue> _unresolvedMethodSinks;
    private readonly HashSet<string> _instanceMethodSinks;
    private readonly PairEnds _pairEnds;

    /// <summary>The methods that are a sink on an end of a modelled pair (<c>recv</c>): the only calls whose receiver is traced to one.</summary>
    private readonly HashSet<string> _pairEndMethods;
    private readonly Projects.DeclaredDependencies _dependencies;
    private readonly Func<string, bool> _isDangerousGlobal;

    /// <summary>The resolver this detector uses (the taint index reuses it for the same module).</summary>
    public ValueResolver Resolver => _resolver;

    /// <summary>
    /// The low findings this detector made only because the input looked program-controlled (a literal, a file
    /// opened by a literal path), not because of a mitigation: a path the taint engine proves from a source (an upload
    /// saved at that literal path) overrides them.
    /// </summary>
    public List<Finding> ProgramControlled { get; } = [];

    /// <summary>
    /// The findings whose reason is not their sink model's: an unpickler subclass whose <c>find_class</c> lets any global
    /// through says how (<see cref="FindClassAnalyzer.Escape"/>); the taint engine's message for a proven path keeps it.
    /// </summary>
    public Dictionary<Finding, string> Reasons { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The deserializers passed as callables in the module last given to <see cref="Detect"/>, for the taint index.</summary>
    public List<SinkReference> References { get; } = [];

    /// <param name="isDangerousGlobal">Whether a global (a qualified name) runs code when called: the pickle scanner's deny list; none by default.</param>
    public SinkDetector(ModelSet models, ValueResolver resolver, Projects.DeclaredDependencies? dependencies = null, Func<string, bool>? isDangerousGlobal = null)
    {
        _dependencies = dependencies ?? Projects.DeclaredDependencies.None;
        _isDangerousGlobal = isDangerousGlobal ?? (_ => false);
        _models = models;
        _resolver = resolver;
        _provenance = new ProvenanceEvaluator(resolver, models);
        _findClass = new FindClassAnalyzer(resolver);
        _sinkLastSegments = models.Sinks.SelectMany(s => s.Names).Select(TaintModels.LastSegment).ToHashSet(StringComparer.Ordinal);
        _constructorSinks = ConstructorSinks(models);
        _referenceNames = _sinkLastSegments.Concat(_constructorSinks.Keys).ToHashSet(StringComparer.Ordinal);
        _moduleSinks = ModuleSinks(models);
        _settings = new SettingDetector(models);
        _unresolvedMethodSinks = UnresolvedMethodSinks(models);
        _instanceMethodSinks = InstanceMethodSinks(models);
        var pairedSinks = models.Sinks.Where(sink => sink.PairFactories.Count > 0).ToArray();
        _pairEnds = new PairEnds(resolver, PairFactoryClasses(pairedSinks));
        _pairEndMethods = pairedSinks.SelectMany(sink => sink.Names).Select(TaintModels.LastSegment).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The findings of one module; <paramref name="callees"/> (as long as <c>module.Calls</c>) receives what each
    /// call's callee resolved to, for the taint engine (<see cref="Taint.ProjectIndex.ResolveModule"/>).
    /// </summary>
    public List<Finding> Detect(ModuleModel module, IReadOnlyList<SymbolicValue>[] callees, CancellationToken ct)
    {
        var findings = new List<Finding>();
        References.Clear();
        CollectImportedNames(module);
        foreach (var import in module.Imports)
        {
            if (ImportFinding(module, import) is { } finding)
            {
                findings.Add(finding);
            }
        }
        // Stored through a span: a store into an array of interfaces checks the value's type each time (covariance), a
        // span's does not (the span checks once that the array is exactly of this type).
        var calleeSlots = callees.AsSpan();
        for (var i = 0; i < module.Calls.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var site = module.Calls[i];
            var context = EvalContext.At(site);
            calleeSlots[i] = Callees(site, context);
            AddSinkFindings(findings, module, site, context, callees[i]);
            AddReferenceFindings(findings, module, site, i, callees[i]);
            if (_settings.CallFinding(module, site, callees[i]) is { } enabling)
            {
                findings.Add(enabling);
            }
            if (SafeGlobalsFinding(module, site, callees[i]) is { } widened)
            {
                findings.Add(widened);
            }
        }
        findings.AddRange(_settings.Detect(module));
        return findings;
    }

    /// <summary>
    /// What the call's callee resolves to; for a method of a sink's <see cref="SinkModel.UnresolvedMethods"/> on a receiver
    /// that resolves to nothing (<c>sock.recv_pyobj()</c> on a socket out of sight), that sink; for a method on a
    /// parameter typed only by its annotation (<c>conn: Connection</c>), the sink of that class's instances; for a method
    /// on an end of a pair the project makes (<c>parent.recv()</c> after <c>parent, child = Pipe()</c>,
    /// <see cref="PairEnds"/>), the same sink.
    /// </summary>
    private IReadOnlyList<SymbolicValue> Callees(CallSite site, EvalContext context)
    {
        var callees = _resolver.Resolve(site.Call.Func, context);
        if (site.Call.Func is not AttributeExpr { Attr: var method } attribute)
        {
            return callees;
        }
        // Before the receiver's own resolution counts: that knows an end kept in a pair as an item of a library
        // object at most (`Pipe()[0]` is `multiprocessing.Pipe().__getitem__()`).
        if (_pairEndMethods.Contains(method) && !AnySink(callees) && _pairEnds.EndClassOf(attribute.Value, context) is { } end
            && _instanceMethodSinks.Contains($"{end}().{method}"))
        {
            return [new ApiValue($"{end}().{method}")];
        }
        if (!Unresolved(callees)
            || !Unresolved(_resolver.Resolve(attribute.Value, context)))
        {
            return callees;
        }
        if (_unresolvedMethodSinks.TryGetValue(method, out var sink))
        {
            return [sink];
        }
        if (attribute.Value is NameExpr receiver && AnnotatedCallees(receiver, method, context) is { } typed)
        {
            return typed;
        }
        return ConstructedCallees(attribute, method, context) ?? callees;
    }

    /// <summary>
    /// The sinks <c>self._proxy._pickler.loads</c> may be when <c>self._proxy</c> is an object a constructor was given
    /// (lithops' MethodWrapper stores its proxy, whose <c>_pickler</c> is cloudpickle): what the project's constructions
    /// pass for that <c>__init__</c> parameter (<see cref="ValueResolver.ConstructorArguments"/>), then the rest of the
    /// chain's attributes. Only sinks are kept, and the sources a call is (<c>redis.Redis().get</c>, or a client's read
    /// the client's model lists: <c>redis.StrictRedis().hgetall</c>, which <see cref="Taint.ProjectIndex"/> makes a source
    /// here, where no client object can reach the receiver in the taint engine): the call graph
    /// gains no edges (following every object handed to a constructor made the taint engine's fixpoint on the Cloud
    /// SDK run past its rounds). Null when there is none.
    /// </summary>
    private IReadOnlyList<SymbolicValue>? ConstructedCallees(AttributeExpr callee, string method, EvalContext context)
    {
        if (!_sinkLastSegments.Contains(method) && !_models.Taint.MayBeSource(method) && !_models.Taint.MayBeClientRead(method)
            || ConstructorParametersStored(callee, context, out var first) is not { Count: > 0 } parameters)
        {
            return null;
        }
        IReadOnlyList<SymbolicValue> values = parameters.SelectMany(_resolver.ConstructorArguments).ToArray();
        foreach (var attribute in AttributesAfter(callee, first))
        {
            values = values.SelectMany(value => _resolver.Member(value, attribute)).ToArray();
        }
        var found = values.Where(value => value is ApiValue api
            && (_models.SinksFor(api.Path).Count > 0 || IsCalledSource(api.Path) || _models.Taint.ClientReadFor(api.Path) is not null)).ToArray();
        return found.Length > 0 ? found : null;
    }

    /// <summary>The attribute names of <paramref name="callee"/>'s chain after <paramref name="first"/>, in reading order.</summary>
    private static List<string> AttributesAfter(AttributeExpr callee, AttributeExpr first)
    {
        var names = new List<string>();
        for (var current = callee; current != first; current = (AttributeExpr)current.Value)
        {
            names.Insert(0, current.Attr);
        }
        return names;
    }

    /// <summary>A source that a call of the API is (<c>redis.Redis().get</c>), not a client object whose methods read data.</summary>
    private bool IsCalledSource(string path) => _models.Taint.SourceFor(path) is { } source && (source.Model.Attributes.Count == 0 || source.Name == path);

    /// <summary>
    /// When <paramref name="callee"/> is read through an attribute of a method's <c>self</c> (<paramref name="first"/>,
    /// <c>self._proxy</c>), the <c>__init__</c> parameters its class (or a project base) stores in that attribute as
    /// they are (<c>self._proxy = proxy</c>); null otherwise. The cheap test comes first: many unresolved calls are named
    /// like a sink's or a source's method (<c>load</c>, <c>open</c>, <c>get</c>).
    /// </summary>
    private List<Binding>? ConstructorParametersStored(AttributeExpr callee, EvalContext context, out AttributeExpr first)
    {
        first = callee;
        while (first.Value is AttributeExpr inner)
        {
            first = inner;
        }
        if (first == callee || first.Value is not NameExpr self
            || _resolver.ReachingBindings(self.Id, context) is not [{ Kind: BindingKind.Parameter, SelfOf: { } cls, SelfIsClass: false }])
        {
            return null;
        }
        List<Binding>? parameters = null;
        foreach (var owner in _resolver.ClassAndBases(cls))
        {
            if (!owner.InstanceAttributes.TryGetValue(first.Attr, out var stores))
            {
                continue;
            }
            foreach (var store in stores)
            {
                if (store.Value is NameExpr stored && store.Scope.BindingsOf(stored.Id) is [{ Kind: BindingKind.Parameter } parameter]
                    && store.Scope.Module.Functions.TryGetValue(store.Scope.Node, out var function) && function.Name == "__init__")
                {
                    (parameters ??= []).Add(parameter);
                }
            }
        }
        return parameters;
    }

    /// <summary>
    /// What <c>receiver.method</c> is when <paramref name="receiver"/> is only ever a parameter annotated with a class
    /// (or <c>Optional[T]</c>, ...): for a library class <c>T</c>, the sink <c>T().method</c> (a worker function that
    /// takes a pipe end, <c>conn: Connection</c>); for a project class, the library callables its class body binds
    /// the method name to (dogpile.cache's <c>deserializer = staticmethod(pickle.loads)</c> reached through
    /// <c>backend: BytesBackend</c>). A project method stays unresolved: the resolver follows annotations with
    /// concrete project classes nowhere (<see cref="ValueResolver"/>'s annotated instances).
    /// </summary>
    private IReadOnlyList<SymbolicValue>? AnnotatedCallees(NameExpr receiver, string method, EvalContext context)
    {
        if (_resolver.ReachingBindings(receiver.Id, context) is not [{ Kind: BindingKind.Parameter, Node: Arg { Annotation: { } annotation } } parameter]
            || parameter.Scope.Parent is not { } declaring)
        {
            return null;
        }
        var annotationContext = new EvalContext(declaring, parameter.Offset, parameter.Blocks);
        var callees = new List<SymbolicValue>();
        foreach (var type in Taint.AnnotationTypes.Of(annotation))
        {
            foreach (var value in _resolver.Resolve(type, annotationContext))
            {
                if (value is ApiValue { Path: var path } && _instanceMethodSinks.Contains($"{path}().{method}"))
                {
                    callees.Add(new ApiValue($"{path}().{method}"));
                }
                else if (value is ClassValue cls && _resolver.ClassAndBases(cls.Class).Any(c => c.BodyScope.Binds(method)))
                {
                    // Only what a project class body binds: a library base's method (`ProjectRedis(redis.Redis)`'s
                    // `get`) is the models' business, through the annotation.
                    callees.AddRange(_resolver.Member(new InstanceValue(cls.Class, null), method).Where(member => member is ApiValue { Path: not ['<', ..] }));
                }
            }
        }
        return callees.Count > 0 ? callees : null;
    }

    /// <summary>
    /// Nothing known of a value: none, or only what a caller passes for a parameter (<c>&lt;argument for sock&gt;</c>) and a
    /// None default (a loop, not foreach: an enumerator object for every call checked).
    /// </summary>
    internal static bool Unresolved(IReadOnlyList<SymbolicValue> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not (ApiValue { Path: ['<', ..] } or ConstantSymbol { Constant.Value.Type: ConstantType.None }))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Each unresolved-method name with the sink it stands for, under the shortest of the sink's names ending in it.</summary>
    private static Dictionary<string, ApiValue> UnresolvedMethodSinks(ModelSet models)
    {
        var result = new Dictionary<string, ApiValue>(StringComparer.Ordinal);
        foreach (var sink in models.Sinks)
        {
            foreach (var method in sink.UnresolvedMethods)
            {
                var path = sink.Names.Where(name => name.EndsWith("." + method, StringComparison.Ordinal)).MinBy(name => name.Length)!;
                result.TryAdd(method, new ApiValue(path));
            }
        }
        return result;
    }

    /// <summary>Each pair factory (<c>multiprocessing.Pipe</c>) with the class of the ends it makes.</summary>
    private static Dictionary<string, string> PairFactoryClasses(IEnumerable<SinkModel> sinks)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sink in sinks)
        {
            foreach (var factory in sink.PairFactories)
            {
                result.TryAdd(factory, sink.InstanceClass!);
            }
        }
        return result;
    }

    /// <summary>The sink names that are a method of a class's instance, <c>T().method</c> with no other call in <c>T</c>.</summary>
    private static HashSet<string> InstanceMethodSinks(ModelSet models) =>
        models.Sinks.SelectMany(s => s.Names).Where(name => SinkModel.InstanceClassOf(name) is not null).ToHashSet(StringComparer.Ordinal);

    private Finding? ImportFinding(ModuleModel module, ImportSite import)
    {
        if (import.IsRelative)
        {
            return null;
        }
        foreach (var name in import.Modules)
        {
            for (var prefix = name; prefix.Length > 0; prefix = prefix.LastIndexOf('.') is var dot and > 0 ? prefix[..dot] : "")
            {
                if (_models.ImportInfoLibrary(prefix) is { } library)
                {
                    return ImportInfo(module, import, name, library);
                }
            }
        }
        // `from ruamel import yaml`: the package is no such library, the submodule it imports is.
        if (import.Statement is ImportFromStmt from && import.Modules is [var package])
        {
            foreach (var alias in from.Names)
            {
                if (_models.ImportInfoLibrary(package + "." + alias.Name) is { } library)
                {
                    return ImportInfo(module, import, package + "." + alias.Name, library);
                }
            }
        }
        return null;
    }

    private Finding ImportInfo(ModuleModel module, ImportSite import, string name, string library) =>
        CreateFinding(module, import.Statement, CodeRules.DeserializationImport, Severity.Info, Confidence.High,
            $"Imports `{name}` ({library}), a library that can deserialize executable data; review every place it decodes input.");

    /// <summary>Some callee is a modelled sink (a loop, no closure: this runs for every call).</summary>
    private bool AnySink(IReadOnlyList<SymbolicValue> callees)
    {
        for (var i = 0; i < callees.Count; i++)
        {
            if (callees[i] is ApiValue api && _models.SinksFor(api.Path).Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    private void AddSinkFindings(List<Finding> findings, ModuleModel module, CallSite site, EvalContext context, IReadOnlyList<SymbolicValue> callees)
    {
        if (!AnySink(callees))
        {
            return;
        }
        var best = new Dictionary<string, Finding>(StringComparer.Ordinal);
        // When the callee may also be a library function that is not a sink (`f = pickle.loads if fast else
        // json.loads`), the finding is less certain. Project functions do not count: in a scanned copy of a library
        // (CPython's own pickle.py) they are the library's implementation.
        var ambiguous = callees.Any(c => c is ApiValue other && _models.SinksFor(other.Path).Count == 0);
        foreach (var callee in callees)
        {
            if (callee is not ApiValue api)
            {
                continue;
            }
            foreach (var sink in _models.SinksFor(api.Path))
            {
                if (Evaluate(module, site, context, sink, api, ambiguous) is { } finding
                    && (!best.TryGetValue(finding.RuleCode, out var previous) || finding.Severity > previous.Severity))
                {
                    best[finding.RuleCode] = finding;
                }
            }
        }
        findings.AddRange(best.Values);
    }

    private Finding? Evaluate(ModuleModel module, CallSite site, EvalContext context, SinkModel sink, ApiValue api, bool ambiguous)
    {
        var call = site.Call;
        if (sink.SafeWhen is { } safeWhen && Holds(safeWhen, call, context, api))
        {
            return null;
        }
        string? mitigation = null;
        if (sink.MitigatedWhen is { } mitigatedWhen && Holds(mitigatedWhen, call, context, api))
        {
            mitigation = $"`{mitigatedWhen.Argument.Keyword ?? "the argument"}` is given";
        }
        if (sink.SafeWhen is { DefaultSince: { } since } defaulted && SafeDefaultDeclared(defaulted, module, call, context, api) is { } declared)
        {
            var keyword = defaulted.Argument.Keyword;
            // One safe value is advice to give (`weights_only=True`); several are other formats, not the same call made safe.
            var advice = defaulted.Values is [var safe]
                ? $"pass `{keyword}={safe}` to stay safe under any installed version"
                : "an older release installed would not be";
            mitigation = $"the project requires {since.Package} {since.Version} or later ({declared}), where an absent `{keyword}` is safe; {advice}";
        }
        var reason = sink.Reason;
        if (sink.Mitigation == SinkMitigation.RestrictedFindClass && api.ViaClass is { } via)
        {
            var (restricted, escape) = FindClassVerdict(via, api, call, context);
            mitigation = restricted ?? mitigation;
            reason = escape is null ? reason : $"unpickling runs any callable the stream names that `find_class` lets through, and {escape}";
        }
        var provenance = InputProvenance(sink, call, context, api);
        var name = ProvenanceEvaluator.Display(api);
        string message;
        Severity severity;
        if (mitigation is not null)
        {
            severity = Severity.Low;
            message = $"`{name}` decodes {provenance.Description}, behind a mitigation: {mitigation}. Keep it: {reason}.";
        }
        else if (provenance.IsProgramControlled)
        {
            severity = Severity.Low;
            message = $"`{name}` decodes {provenance.Description}, which the program controls; still, {reason}.";
        }
        else
        {
            severity = Severity.Medium;
            message = $"`{name}` decodes {provenance.Description}, whose origin is unknown: {reason}.";
        }
        var confidence = ambiguous && sink.Confidence > Confidence.Medium ? Confidence.Medium : sink.Confidence;
        var finding = CreateFinding(module, call, sink.Rule, severity, confidence, message);
        if (mitigation is null && provenance.IsProgramControlled)
        {
            ProgramControlled.Add(finding);
        }
        if (!ReferenceEquals(reason, sink.Reason))
        {
            Reasons[finding] = reason;
        }
        return finding;
    }

    /// <summary>
    /// Why the project subclass <paramref name="via"/>'s unpickler resolves only allow-listed globals (the mitigation), or
    /// how its own <c>find_class</c> lets any global through (the escape, <see cref="FindClassAnalyzer.Escape"/>); both null
    /// when neither is known. The mitigation: the <c>find_class</c> its instances get in <c>__init__</c> (for the instance
    /// this call's construction makes), else the class's own method. A store of anything not restrictive in any of its
    /// methods undoes both, and the method then says nothing of the escape. Before all these, what the function making
    /// the instance sets as its <c>find_class</c> (<see cref="FindClassAnalyzer.FindClassSetOn"/>): it is what runs.
    /// </summary>
    private (string? Mitigation, string? Escape) FindClassVerdict(ClassInfo via, ApiValue api, CallExpr call, EvalContext context)
    {
        if (api.Constructor is { } made && _findClass.FindClassSetOn(made, ContextOf(made, context), call) is { } local)
        {
            var stored = string.Join(" or ", local.Functions.Select(f => $"`{f}`"));
            return local.AllRestrictive
                ? ($"the instance's `find_class` is set to {(stored.Length > 0 ? stored : "`None`")}, which only resolves allow-listed globals", null)
                : (null, local.Escape);
        }
        var instance = _findClass.InstanceFindClass(via, api.Constructor, api.Constructor is { } constructor ? ContextOf(constructor, context) : context);
        if (instance.Stored && !instance.AllRestrictive)
        {
            return (null, null);
        }
        if (instance.Stored && instance.SetOnConstruction)
        {
            var functions = string.Join(" or ", instance.Functions.Select(f => $"`{f}`"));
            return ($"`__init__` sets each instance's `find_class` to {(functions.Length > 0 ? functions : "`None`")}, which only resolves allow-listed globals", null);
        }
        return _findClass.RestrictingClass(via) is { } restricting
            ? ($"`{restricting.Name}.find_class` only resolves allow-listed globals", null)
            : (null, _findClass.Escape(via));
    }

    private Provenance InputProvenance(SinkModel sink, CallExpr call, EvalContext context, ApiValue api)
    {
        if (sink.Input is not { } input)
        {
            return Provenance.Unknown("data received from a peer");
        }
        var (target, kind, value, targetContext) = FindArgument(input, call, context, api);
        if (target is null)
        {
            return Provenance.Unknown("its input");
        }
        if (kind != ArgumentKind.Found)
        {
            return Provenance.Unknown("an input passed through unpacked arguments");
        }
        if (sink.FetchesUrls && _provenance.RemoteUrl(value!, targetContext) is { } url)
        {
            return ProvenanceEvaluator.Downloaded(url);
        }
        var provenance = _provenance.Evaluate(value!, targetContext);
        // Name the variable at the call when the verdict comes from further back: "'chan', which comes from 'r'".
        if (value is NameExpr name && !provenance.Description.Contains($"'{name.Id}'", StringComparison.Ordinal))
        {
            return provenance with { Description = $"'{name.Id}', which comes from {provenance.Description}" };
        }
        return provenance;
    }

    /// <summary>
    /// The argument <paramref name="selector"/> names at the call it belongs to (null: that call is unknown): given
    /// there, or bound by keyword when the callable is a <c>functools.partial(f, key=...)</c> of the API
    /// (<see cref="ApiValue.Partial"/>, whose keywords belong to the chain's first call), read where the partial was made.
    /// </summary>
    private (CallExpr? Target, ArgumentKind Kind, Expr? Value, EvalContext Context) FindArgument(ArgumentSelector selector, CallExpr call, EvalContext context, ApiValue api)
    {
        var (target, targetContext) = Target(selector.On, call, context, api);
        if (target is null)
        {
            return (null, ArgumentKind.Missing, null, context);
        }
        var (kind, value) = selector.On == CallPart.Constructor && api.ViaClass is { } subclass && ReferenceEquals(target, api.Constructor)
            && SuperInitArguments.Find(subclass, target, selector) is { } handedOn
                ? handedOn
                : ArgumentFinder.Find(target, selector);
        if (kind == ArgumentKind.Missing && api.Partial is { } partial && ReferenceEquals(target, api.Constructor ?? call)
            && BoundByPartial(partial, selector) is var (boundKind, bound) && boundKind != ArgumentKind.Missing)
        {
            return (target, boundKind, bound, ContextOf(partial, context));
        }
        return (target, kind, value, targetContext);
    }

    /// <summary>The argument a <c>functools.partial</c> call binds by keyword for <paramref name="selector"/> (its positionals are the wrapped callable's).</summary>
    private static (ArgumentKind Kind, Expr? Value) BoundByPartial(CallExpr partial, ArgumentSelector selector) =>
        selector.Keyword is null ? (ArgumentKind.Missing, null) : ArgumentFinder.Find(partial, selector with { Position = null });

    /// <summary>The call an argument selector refers to, with the context it runs in.</summary>
    private (CallExpr? Call, EvalContext Context) Target(CallPart part, CallExpr call, EvalContext context, ApiValue api)
    {
        if (part == CallPart.Call)
        {
            return (call, context);
        }
        return api.Constructor is { } constructor ? (constructor, ContextOf(constructor, context)) : (null, context);
    }

    /// <summary>Where <paramref name="call"/> is made (in this module or another), or <paramref name="fallback"/>.</summary>
    private EvalContext ContextOf(CallExpr call, EvalContext fallback)
    {
        var site = fallback.Module.CallSiteOf(call)
            ?? _resolver.Project.Modules.Select(m => m.CallSiteOf(call)).FirstOrDefault(s => s is not null);
        return site is { } found ? EvalContext.At(found) : fallback;
    }

    internal static Finding CreateFinding(ModuleModel module, Node node, string rule, Severity severity, Confidence confidence, string message)
    {
        var position = module.Source.GetLinePosition(node.Span.Start);
        var line = module.Source.GetLineText(position.Line).Trim();
        return new Finding(rule, severity, new Location(module.Path, position.Line, position.Column + 1), message)
        {
            Confidence = confidence,
            CodeLine = line,
        };
    }
}
