using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>What one call resolves to (<see cref="CallInfo"/>), for every call of the project.</summary>
internal sealed partial class ProjectIndex
{
    /// <summary>
    /// What the models say about each API path met so far (calls repeat their paths: <c>builtins.len</c>, ...). Made at
    /// about its final size (<see cref="ApiPathsBound"/>): growing it by doubling copied every entry each time.
    /// </summary>
    private readonly ConcurrentDictionary<string, ApiFacts> _apiFacts;

    /// <summary>A generous guess at the number of API paths the project's calls name (14k of 327k calls on the stdlib).</summary>
    private static int ApiPathsBound(ProjectModel project)
    {
        var calls = 0;
        foreach (var module in project.Modules)
        {
            calls += module.Calls.Count;
        }
        return calls / 16;
    }

    /// <summary>
    /// Per project class, the info of a call constructing it and nothing else, shared by all such calls (an object and
    /// an array per call were 2.5 MB on the stdlib), with the class's <c>__init__</c> unit (null: none of its own).
    /// </summary>
    private readonly ConcurrentDictionary<ClassInfo, CallInfo> _constructing = new();

    /// <summary>
    /// Most calls (a builtin, a method of an unknown object) only pass their arguments' taint through: those share one
    /// <see cref="CallInfo.PassThrough"/> instead of an object per call.
    /// </summary>
    private CallInfo Resolve(CallSite site, IReadOnlyList<SymbolicValue> callees, ValueResolver resolver)
    {
        // Most of the other calls call one project function and nothing else (`self.check(x)`): those share the
        // function's own CallInfo (an object per call was the index's largest allocation).
        var count = callees.Count; // asked once: each ask is an interface call, and this runs for every call of the project
        if (count == 1 && callees[0] is FunctionValue { BoundPositionals: 0, Function.IsAbstract: false } only && UnitOf(only.Function) is { } alone
            && ReceiverOverrides(site, only.Function, resolver) is null)
        {
            MarkReceiverLive(site, only, alone, resolver);
            var bound = alone.TakesReceiver && (only.BoundTo is not null || alone.IsClassMethod);
            if (FindInvoked(site, resolver, (alone, bound)) is null && FindHandedSources(site, resolver, [(alone, bound)]) is null
                && FindObjectMethods(site, resolver, [(alone, bound)]) is null)
            {
                return alone.CalledAlone(bound);
            }
        }
        CallInfo? info = null;
        if (count == 0 && site.Call.Func is NameExpr name)
        {
            // `decode = lambda blob: ...; decode(x)`: the resolver does not follow lambdas; their units do.
            foreach (var binding in resolver.ReachingBindings(name.Id, EvalContext.At(site)))
            {
                if (binding.Value is LambdaExpr lambda && binding.Scope.Module.Functions.TryGetValue(lambda, out var function))
                {
                    (info ??= new CallInfo()).AddFunction(UnitOf(function)!, false);
                }
            }
        }
        if (count == 0 && info is null)
        {
            AddMixinMethods(ref info, site, resolver);
        }
        var passesThrough = count == 0 && info is null;
        RunnerModel? runner = null;
        var receiverKeepers = 0;
        for (var i = 0; i < count; i++) // not foreach: no enumerator object per call
        {
            switch (callees[i])
            {
                case FunctionValue function when UnitOf(function.Function) is { } unit:
                    (info ??= new CallInfo()).AddFunction(unit, unit.TakesReceiver && (function.BoundTo is not null || unit.IsClassMethod));
                    if (function.BoundPositionals > info.BoundPositionals)
                    {
                        info.BoundPositionals = function.BoundPositionals;
                    }
                    if (function.Function.IsAbstract)
                    {
                        AddOverrides(site, info, function.Function, resolver);
                    }
                    else if (ReceiverOverrides(site, function.Function, resolver) is { } overrides)
                    {
                        _receiverDispatch.Add((info, UnitOfScope(site.Scope)!, site.Call, overrides));
                    }
                    MarkReceiverLive(site, function, unit, resolver);
                    break;
                case ClassValue cls:
                    var constructing = _constructing.GetOrAdd(cls.Class, static (c, r) => r.index.Constructing(c, r.resolver), (index: this, resolver));
                    if (count == 1)
                    {
                        return constructing; // nothing below changes the info of a call constructing one class alone
                    }
                    (info ??= new CallInfo()).AddClass(cls.Class, constructing.Classes[0].Init);
                    break;
                case ApiValue api:
                    passesThrough = true;
                    var facts = _apiFacts.GetOrAdd(api.Path, static (path, index) => index.FactsOf(path), this);
                    receiverKeepers += facts.KeepsReceiver ? 1 : 0;
                    if (!facts.IsPlain && count == 1 && facts.Sinks.Count == 0)
                    {
                        info = facts.CalledAlone; // copied below if this call adds to it
                    }
                    else if (!facts.IsPlain)
                    {
                        ClassifyApi(info ??= new CallInfo(), site, api, facts);
                    }
                    if (facts.Callbacks.Count > 0)
                    {
                        RegisterCallbacks(site, api, facts.Callbacks, resolver);
                    }
                    if (facts.Hook is { } hook && FindHooks(site, api, hook, resolver) is { } hooks)
                    {
                        (info = info?.Unshared() ?? new CallInfo()).Hooks = hooks;
                    }
                    runner ??= facts.Runner;
                    if (facts.ClientRead is { } read && ReceiverOutOfSight(site, resolver))
                    {
                        (info = info?.Unshared() ?? new CallInfo()).Source ??= read;
                    }
                    break;
                default:
                    passesThrough = true;
                    break;
            }
        }
        // `path.read_bytes()`: a method that opens the file at its receiver's path, known by name on any receiver.
        if (passesThrough && site.Call.Func is AttributeExpr method && _models.MethodPropagatorFor(method.Attr) is { Opens: true } opener && info?.Opener is null)
        {
            (info = info?.Unshared() ?? new CallInfo()).Opener = (opener, $".{method.Attr}()");
        }
        if (info?.Sanitizer?.HandsTo is { } handOff && FindVerifiedHandOff(site, handOff, resolver) is { } decoder)
        {
            (info = info.Unshared()).Invoked = decoder;
        }
        else if (passesThrough && (info is null || info.Functions.IsEmpty && info.Classes.IsEmpty) && FindInvoked(site, resolver) is { } invoked)
        {
            (info = info?.Unshared() ?? new CallInfo()).Invoked = runner is null ? invoked : invoked with { Runner = runner };
        }
        else if (info is { Functions: [var project, ..] } && FindInvoked(site, resolver, project) is { } handedOn)
        {
            info.Invoked = handedOn;
        }
        if (info is { Functions.IsEmpty: false } && FindHandedSources(site, resolver, info.Functions) is { } handed)
        {
            (info = info.Unshared()).HandedSources = handed;
        }
        if (info is { Functions.IsEmpty: false, BoundPositionals: 0 } && FindObjectMethods(site, resolver, info.Functions) is { } objectMethods)
        {
            (info = info.Unshared()).ObjectMethods = objectMethods;
        }
        if (info is { KeepsReceiver: true } && receiverKeepers < count)
        {
            (info = info.Unshared()).KeepsReceiver = false; // `session.add(x)` or a set's `add`: the set gains `x`
        }
        if (info is null)
        {
            return CallInfo.PassThrough; // every branch that leaves it null passes through
        }
        if (passesThrough && !info.PassesThrough) // a shared info reaching here (an API's alone) passes through already: never written
        {
            info.PassesThrough = true;
        }
        return info;
    }

    /// <summary>
    /// Adds the deserializers sink detection found passed as callables (<c>map(pickle.loads, items)</c>) as sinks of
    /// their calls: each decodes what the call's other arguments hold.
    /// </summary>
    private static void AddReferenceSinks(CallInfo[] infos, ModuleModel module, IReadOnlyList<Detection.SinkReference> references)
    {
        foreach (var reference in references)
        {
            var info = infos[reference.Call];
            if (info.IsShared)
            {
                info = infos[reference.Call] = info.Unshared();
            }
            info.AddSink(new SinkKey(module, module.Calls[reference.Call].Call, reference.Sink, reference.Display, reference.Argument));
        }
    }

    /// <summary>At least the number of call graph edges <see cref="Complete"/> draws for a call resolved to <paramref name="info"/>.</summary>
    private static int EdgesOf(CallInfo info) =>
        info.Functions.Length + info.Classes.Length + (info.Invoked is null ? 0 : 1) + (info.Hooks?.Units.Length ?? 0) + (info.ObjectMethods?.Length ?? 0);

    /// <summary>
    /// What the passes after sink detection need from module <paramref name="m"/>'s resolved calls, found in one pass
    /// over them while the modules resolve in parallel (part of <see cref="ResolveModule"/>) instead of three more
    /// passes over every call of the project on one core: its constructions, its calls' number of call graph edges,
    /// the callers of a download and the constructions of classes without an <c>__init__</c>, in call order.
    /// </summary>
    private void FindCallFacts(int m)
    {
        var calls = _moduleCalls[m];
        var callers = _moduleCallers[m];
        var topLevel = _moduleUnits[m][0];
        var constructions = _moduleConstructions[m] = [];
        ref var facts = ref _moduleCallFacts[m];
        for (var i = 0; i < calls.Length; i++)
        {
            var info = calls[i];
            facts.EdgeCount += EdgesOf(info);
            // A record class's `__init__` is generated (RecordClasses): the construction stores its fields.
            if (info.Classes.Length == 1 && (info.Classes[0].Init is not null || info.Classes[0].Class.RecordFields.Count > 0)
                && info.Functions.IsEmpty && !info.PassesThrough && info.Source is null && info.Sinks.IsEmpty && callers[i] != topLevel)
            {
                constructions.Add((_project.Modules[m].Calls[i].Call, info.Classes[0].Class, info.Classes[0].Init, callers[i]));
            }
            foreach (var (cls, classInit) in info.Classes)
            {
                if (classInit is null)
                {
                    (facts.WithoutInit ??= []).Add((callers[i], cls));
                }
            }
            if (info is { Source.Model.SavesTo: not null } or { Copier: not null } or { CommandRunner: not null })
            {
                (facts.Downloading ??= []).Add(callers[i]);
            }
            if (info is { Source.Model.SavesInto: not null })
            {
                (facts.DownloadingIntoDirectories ??= []).Add(callers[i]);
            }
            if (info.CommandRunner is { } runner && RunsParameterCommand(_project.Modules[m].Calls[i].Call, runner.Model, callers[i]))
            {
                (facts.RunningParameterCommands ??= []).Add(callers[i]);
            }
            if (info.Source is not null && WidgetKey(info, _project.Modules[m].Calls[i].Call) is { } widgetKey)
            {
                (facts.WidgetStates ??= []).Add((widgetKey, info.Source.Value));
            }
        }
    }

    /// <summary>What <see cref="FindCallFacts"/> found in one module (the lists null when empty, as in most modules).</summary>
    private struct ModuleCallFacts
    {
        public int EdgeCount;
        public List<(TaintUnit Caller, ClassInfo Class)>? WithoutInit;
        public List<TaintUnit>? Downloading;
        public List<TaintUnit>? DownloadingIntoDirectories;
        public List<TaintUnit>? RunningParameterCommands;
        public List<(string Key, (SourceModel Model, string Name) Source)>? WidgetStates;
    }

    /// <summary>
    /// The units constructing a record class (no <c>__init__</c> of its own, generated fields, also inherited), with the
    /// fields its <c>__init__</c> stores (<see cref="RecordClasses.InitFields"/>).
    /// </summary>
    public List<(TaintUnit Caller, IReadOnlyList<(ClassInfo Owner, string Field)> Fields)> RecordConstructions(Func<ClassInfo, ClassInfo[]> classAndBases)
    {
        var found = new List<(TaintUnit, IReadOnlyList<(ClassInfo, string)>)>();
        foreach (var facts in _moduleCallFacts)
        {
            foreach (var (caller, cls) in facts.WithoutInit ?? [])
            {
                // Most classes without an __init__ are no records: asked first, without a list of fields for each call.
                if (classAndBases(cls) is var chain && HasRecordFields(chain) && RecordClasses.InitFields(chain) is { Count: > 0 } fields)
                {
                    found.Add((caller, fields));
                }
            }
        }
        return found;
    }

    private static bool HasRecordFields(ClassInfo[] classAndBases)
    {
        foreach (var cls in classAndBases)
        {
            if (cls.RecordFields.Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The units calling a source that writes its data to a file (<see cref="SourceModel.SavesTo"/>: a download) or a
    /// propagator copying into one (<see cref="PropagatorModel.SavesTo"/>), in module and call order.
    /// </summary>
    public IEnumerable<TaintUnit> DownloadingUnits() => _moduleCallFacts.SelectMany(facts => facts.Downloading ?? []);

    /// <summary>The units calling a source that writes its files into a directory it is given (<see cref="SourceModel.SavesInto"/>), in module and call order.</summary>
    public IEnumerable<TaintUnit> DownloadingIntoDirectoryUnits() => _moduleCallFacts.SelectMany(facts => facts.DownloadingIntoDirectories ?? []);

    /// <summary>
    /// The units running a command one of their parameters holds (<c>def run_command(cmd): subprocess.run(cmd,
    /// shell=True)</c>), in module and call order: their callers' curl or wget commands download through them.
    /// </summary>
    public IEnumerable<TaintUnit> RunningParameterCommandUnits() => _moduleCallFacts.SelectMany(facts => facts.RunningParameterCommands ?? []);

    private static bool RunsParameterCommand(CallExpr call, SourceModel runner, TaintUnit caller) =>
        Detection.DownloadCommand.Command(call, runner) is (NameExpr command, not null) && caller.IndexOfParameter(command.Id) >= 0;

    private CallInfo Constructing(ClassInfo cls, ValueResolver resolver)
    {
        MarkLive(cls, resolver);
        var info = CallInfo.ToShare(false);
        info.AddClass(cls, InitOf(cls, resolver));
        if (LibraryClientBase(cls, resolver) is { } client)
        {
            _clientClasses[cls] = client;
        }
        else if (HasOnlyRecordBases(cls, resolver))
        {
            _keywordRecordClasses[cls] = true;
        }
        return info;
    }

    /// <summary>
    /// Project classes whose library bases are all record bases (<see cref="RecordBaseModel"/>: a SQLAlchemy declarative
    /// model): made without an <c>__init__</c> of their own, each keyword goes into the attribute it names. Found while
    /// the calls resolve (<see cref="Constructing"/>), only read afterwards.
    /// </summary>
    private readonly ConcurrentDictionary<ClassInfo, bool> _keywordRecordClasses = new();

    /// <summary>Whether constructing <paramref name="cls"/> runs a record base's constructor, unless a project <c>__init__</c> comes first.</summary>
    public bool StoresKeywordsByName(ClassInfo cls) => _keywordRecordClasses.ContainsKey(cls);

    /// <summary>
    /// Whether the library bases of <paramref name="cls"/> and of its project bases are record bases, at least one
    /// (a library mixin beside one may bring a constructor of its own; <c>object</c> and the like bring none).
    /// </summary>
    private bool HasOnlyRecordBases(ClassInfo cls, ValueResolver resolver)
    {
        var found = false;
        foreach (var current in resolver.ClassAndBases(cls))
        {
            foreach (var value in resolver.Bases(current))
            {
                if (value is ApiValue api && _models.Taint.IsRecordBase(api.Path))
                {
                    found = true;
                }
                else if (value is not ClassValue && !ValueResolver.IsMemberlessBase(value))
                {
                    return false;
                }
            }
        }
        return found;
    }

    /// <summary>
    /// Project classes deriving from a library class that a client-object source makes, with that source: found while
    /// the calls resolve (<see cref="Constructing"/>), only read afterwards.
    /// </summary>
    private readonly ConcurrentDictionary<ClassInfo, (SourceModel Model, string Name)> _clientClasses = new();

    /// <summary>
    /// The client-object source a project class derives from (<c>class PicklableRedis(redis.StrictRedis)</c>: the
    /// source <c>redis.StrictRedis</c>), directly or through project bases: constructing the class makes such a
    /// client. Null for the other classes.
    /// </summary>
    public (SourceModel Model, string Name)? ClientSourceOf(ClassInfo cls) => _clientClasses.TryGetValue(cls, out var client) ? client : null;

    private (SourceModel Model, string Name)? LibraryClientBase(ClassInfo cls, ValueResolver resolver)
    {
        foreach (var current in resolver.ClassAndBases(cls))
        {
            var bases = resolver.Bases(current);
            for (var b = 0; b < bases.Count; b++)
            {
                // Only the constructing call of a client-object source is one (FactsOf), so the base's path is its name.
                if (bases[b] is ApiValue api && _apiFacts.GetOrAdd(api.Path, static (path, index) => index.FactsOf(path), this).Source is { Model.Attributes.Count: > 0 } client)
                {
                    return client;
                }
            }
        }
        return null;
    }

    private TaintUnit? InitOf(ClassInfo cls, ValueResolver resolver) =>
        resolver.Member(new ClassValue(cls), "__init__").OfType<FunctionValue>().FirstOrDefault() is { } init ? UnitOf(init.Function) : null;

    /// <summary>
    /// Whether the receiver of the method <paramref name="site"/> calls resolves to nothing: its callee was found through
    /// the objects the project's constructions pass (<see cref="Detection.SinkDetector"/>'s constructed callees), which
    /// the taint engine does not follow, so no client object reaches the receiver there.
    /// </summary>
    private static bool ReceiverOutOfSight(CallSite site, ValueResolver resolver) =>
        site.Call.Func is AttributeExpr { Value: var receiver } && Detection.SinkDetector.Unresolved(resolver.Resolve(receiver, EvalContext.At(site)));

    private ApiFacts FactsOf(string path)
    {
        var source = _models.Taint.SourceFor(path);
        // A client-object source is the constructing call itself, not a method of it matched by prefix.
        var enabledSource = source is { } found && _options.SourceKinds.Contains(found.Model.Kind) && (found.Model.Attributes.Count == 0 || found.Name == path) ? source : null;
        // A read the client's model lists (`redis.StrictRedis().hgetall`) is data where the client is out of sight: a
        // source of the client's kind under the read's own path, giving data rather than a client; or, for an
        // attribute that makes another client (`redis.StrictRedis().pipeline`), that client with its own reads.
        var clientRead = enabledSource is null && _models.Taint.ClientReadFor(path) is { } client && _options.SourceKinds.Contains(client.Model.Kind)
            ? (client.Model with { Attributes = _models.Taint.ClientMadeBy(TaintModels.LastSegment(path)) ?? [] }, path)
            : ((SourceModel, string)?)null;
        // Every model naming the path exactly, in one lookup (null for most paths: then none of them).
        var named = _models.ModelsNaming(path);
        var sanitizer = named?.Sanitizer;
        var serializer = named?.Serializer is not null;
        var sinks = named?.Sinks ?? Array.Empty<SinkModel>();
        var callbacks = _models.Taint.CallbackSourcesFor(path, named);
        var propagator = named?.Propagator;
        var hook = named?.Hook;
        var runner = named?.Runner;
        var commandRunner = named?.CommandRunner is { } runsCommand && _options.SourceKinds.Contains(runsCommand.Kind)
            ? (runsCommand, path)
            : ((SourceModel, string)?)null;
        if (enabledSource is null && clientRead is null && sanitizer is null && !serializer && sinks.Count == 0 && callbacks.Count == 0 && propagator is null
            && hook is null && runner is null && commandRunner is null && !NeverReturning.Contains(path))
        {
            return ApiFacts.Nothing; // most APIs a project calls (2 MB of facts on the stdlib)
        }
        return new ApiFacts(
            path,
            enabledSource,
            sanitizer,
            serializer,
            sinks,
            callbacks,
            propagator is { Opens: true } ? (propagator, Detection.ProvenanceEvaluator.Display(path)) : null,
            propagator is { Whole: true } ? propagator : null,
            propagator is { SavesTo: not null } ? propagator : null,
            propagator is { Opens: false, Whole: false, SavesTo: null, Argument: not null } ? propagator : null,
            clientRead,
            propagator is { KeepsReceiver: true },
            commandRunner) { Hook = hook, Runner = runner };
    }

    private static void ClassifyApi(CallInfo info, CallSite site, ApiValue api, ApiFacts facts)
    {
        AddFacts(info, facts);
        foreach (var sink in facts.Sinks)
        {
            info.AddSink(new SinkKey(site.Scope.Module, site.Call, sink, Detection.ProvenanceEvaluator.Display(api)));
        }
    }

    /// <summary>What the models say about the API, but its sinks (those are the call's own).</summary>
    private static void AddFacts(CallInfo info, ApiFacts facts)
    {
        info.Source ??= facts.Source;
        info.Opener ??= facts.Opener;
        info.Identity ??= facts.Identity;
        info.Copier ??= facts.Copier;
        info.CommandRunner ??= facts.CommandRunner;
        info.FromOneArgument ??= facts.FromOneArgument;
        if (facts.Sanitizer is { } sanitizer)
        {
            if (sanitizer.Effect is SanitizerEffect.Guard or SanitizerEffect.Asserts)
            {
                info.Guard = sanitizer;
            }
            else
            {
                info.Sanitizer = sanitizer;
                info.Clears |= sanitizer.Effect == SanitizerEffect.Clears;
            }
        }
        info.Clears |= facts.Serializer;
        info.NeverReturns |= facts.NeverReturns;
        info.KeepsReceiver |= facts.KeepsReceiver;
    }

    /// <summary>
    /// APIs that never return normally: an early exit through one of them (<c>if name not in ALLOWED: abort(404)</c>)
    /// leaves only the checked path, like <c>raise</c> or <c>return</c>.
    /// </summary>
    private static readonly HashSet<string> NeverReturning = new(StringComparer.Ordinal)
    {
        "flask.abort", "werkzeug.exceptions.abort", "bottle.abort", "sys.exit", "os._exit", "os.abort", "builtins.exit", "builtins.quit",
    };

    /// <summary>What the models say about one API path (the source only when its kind is enabled).</summary>
    private sealed record ApiFacts(
        string Path,
        (SourceModel Model, string Name)? Source,
        SanitizerModel? Sanitizer,
        bool Serializer,
        IReadOnlyList<SinkModel> Sinks,
        IReadOnlyList<CallbackSourceModel> Callbacks,
        (PropagatorModel Model, string Name)? Opener,
        PropagatorModel? Identity,
        PropagatorModel? Copier,
        PropagatorModel? FromOneArgument,
        (SourceModel Model, string Name)? ClientRead,
        bool KeepsReceiver,
        (SourceModel Model, string Name)? CommandRunner)
    {
        /// <summary>The facts of every API no model names: shared.</summary>
        public static readonly ApiFacts Nothing = new("", null, null, false, [], [], null, null, null, null, null, false, null);

        /// <summary>The hooks the call calls with what it decodes (<c>json.loads(s, object_hook=f)</c>): found per call, not in <see cref="CalledAlone"/>.</summary>
        public HookModel? Hook { get; init; }

        /// <summary>The call runs the function it is given with arguments of its own first (<c>Fabric().launch(fn, *args)</c>): read by the call's <see cref="InvokedCallable"/>.</summary>
        public RunnerModel? Runner { get; init; }

        /// <summary>The call always raises or ends the process (<c>abort(404)</c>, <c>sys.exit()</c>).</summary>
        public bool NeverReturns { get; } = NeverReturning.Contains(Path);

        /// <summary>Nothing modelled: a call of this API only passes its arguments' taint through (read for every call: computed once).</summary>
        public bool IsPlain { get; } = Source is null && CommandRunner is null && Sanitizer is null && !Serializer && Sinks.Count == 0 && Opener is null && Identity is null && Copier is null
            && FromOneArgument is null && !KeepsReceiver && !NeverReturning.Contains(Path);

        private CallInfo? _calledAlone;

        /// <summary>
        /// The info of a call of this API and nothing else when it has no sinks, shared by all such calls (an info and
        /// its facts per call were 4.5 MB on the stdlib). Workers may each make one: harmless, equal and never modified.
        /// </summary>
        public CallInfo CalledAlone => _calledAlone ??= NewCalledAlone();

        private CallInfo NewCalledAlone()
        {
            var info = CallInfo.ToShare(true);
            AddFacts(info, this);
            return info;
        }
    }
}
