using PickleGuard.Analysis.Detection;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    private TaintValue EvalCall(CallExpr call)
    {
        var method = call.Func as AttributeExpr;
        // The call's own resolution (CallInfo) already says whether the callee is a source: skip that lookup here.
        var receiver = method is not null ? EvalAttribute(method, checkSource: false)
            : call.Func is NameExpr callee ? (_state.TryGet(callee.Id, out var local) ? local.All() : CalledModuleVariable(callee))
            : Eval(call.Func);
        TaintValue[]? positional = null;
        for (var i = 0; i < call.Args.Count; i++)
        {
            var argument = call.Args[i];
            var given = argument is TupleExpr or ListExpr && IsRunnerSequence(call, i) ? EvalInvokedItems(call, argument) : EvalArgument(argument);
            if (given is { IsClean: false } value)
            {
                (positional ??= RentValues(call.Args.Count))[i] = value;
            }
        }
        TaintValue[]? keywords = null;
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            var given = call.Keywords[i] is { Arg: "args", Value: TupleExpr or ListExpr } items ? EvalInvokedItems(call, items.Value) : EvalArgument(call.Keywords[i].Value);
            if (given is { IsClean: false } value)
            {
                (keywords ??= RentValues(call.Keywords.Count))[i] = value;
            }
        }
        if (positional is not null && call.Func is NameExpr called)
        {
            NoteParameterCall(called, call, positional);
        }
        // What a call makes of an object passed on whole is derived from any of its attributes.
        var result = EvalCall(call, method, receiver, positional ?? CleanValues(call.Args.Count), keywords ?? CleanValues(call.Keywords.Count)).Unheld();
        if (method is { Value: NameExpr })
        {
            result = result.Join(ObjectMethodResult(call, method));
        }
        ReturnValues(positional);
        ReturnValues(keywords);
        return result;
    }

    /// <summary>
    /// <c>func(request.POST)</c> on a parameter <c>func</c>: the source data passed, by position, goes into the summary
    /// for the function a caller passes (<see cref="FunctionSummary.AddParameterCall"/>); so does another parameter's data
    /// (<c>loader(path)</c>), which a caller's argument for it gives (FunctionAnalyzer.ParameterCalls.cs).
    /// </summary>
    private void NoteParameterCall(NameExpr called, CallExpr call, TaintValue[] positional)
    {
        if (!_unit.Footprint.CalledParameters.Contains(called.Id) || _unit.IndexOfParameter(called.Id) is not (>= 0 and var parameter))
        {
            return;
        }
        for (var i = 0; i < positional.Length && call.Args[i] is not StarredExpr; i++)
        {
            if (positional[i] is { IsClean: false } value && value.Data.Select(static o => o.IsSource || o.Parameter >= 0 ? o : null) is { IsClean: false } passed)
            {
                _unit.OwnSummary.AddParameterCall(parameter, i, passed);
            }
        }
    }

    /// <summary>
    /// A module variable called by name from a function (<c>pop = conn.register_script(...)</c> at the top level, then
    /// <c>pop(keys=[...])</c>: huey's schedule): what it holds, as for a local callable. Only for a name the module binds
    /// by assignment alone — most names called are functions, classes and imports, which hold no data.
    /// </summary>
    private TaintValue CalledModuleVariable(NameExpr callee)
    {
        if (IsLocal(callee.Id) || _module.ModuleScope.BindingsOf(callee.Id) is not { Count: > 0 } bindings)
        {
            return TaintValue.Clean;
        }
        for (var i = 0; i < bindings.Count; i++) // not foreach: the list's enumerator is an object per call
        {
            if (bindings[i].Kind != Semantic.BindingKind.Assignment)
            {
                return TaintValue.Clean;
            }
        }
        return EvalName(callee);
    }

    /// <summary>Clean arguments, shared by length (read only): most calls pass nothing tainted (an array per call cost 11 MB of the stdlib's fixpoint).</summary>
    private static readonly TaintValue[][] SharedCleanValues = [.. Enumerable.Range(0, 16).Select(length => new TaintValue[length])];

    private static TaintValue[] CleanValues(int length) => length < SharedCleanValues.Length ? SharedCleanValues[length] : new TaintValue[length];

    /// <summary>
    /// Argument arrays of a call that passes tainted data, by length, kept from call to call and from unit to unit (an
    /// array per such call cost 2.8 MB of the stdlib's fixpoint). The arrays are only read below the call that fills
    /// them and given back when it returns; calls in its arguments take and give back theirs first.
    /// </summary>
    private readonly Stack<TaintValue[]>?[] _spareValues = new Stack<TaintValue[]>?[SharedCleanValues.Length];

    private TaintValue[] RentValues(int length) =>
        length < _spareValues.Length && _spareValues[length] is { Count: > 0 } spare ? spare.Pop() : new TaintValue[length];

    private void ReturnValues(TaintValue[]? values)
    {
        if (values is not null && values.Length < _spareValues.Length)
        {
            Array.Clear(values);
            (_spareValues[values.Length] ??= new Stack<TaintValue[]>()).Push(values);
        }
    }

    /// <param name="positional">The taint of each positional argument (never written: it may be shared).</param>
    /// <param name="keywords">The taint of each keyword argument's value (never written: it may be shared).</param>
    private TaintValue EvalCall(CallExpr call, AttributeExpr? method, TaintValue receiver, TaintValue[] positional, TaintValue[] keywords)
    {
        if (method is { Attr: "save" or "write" or "writelines" or "write_bytes" or "write_text" or "extractall" or "extract" })
        {
            TrackFileWrites(call, method, receiver, positional);
        }
        else if (method is not null)
        {
            TrackFileMoves(call);
        }
        var info = _program.Index.CallOf(_module, call);
        if (info is null)
        {
            return ReturnedByMethod(method, receiver).Join(JoinArguments(positional, keywords).Data);
        }
        CheckSinks(call, info, receiver, positional, keywords);
        if (info.Copier is { Argument: { } copied, SavesTo: { } copiedTo }
            && ArgumentFinder.Find(call, copied).Value is { } input && ArgumentFinder.Find(call, copiedTo).Value is { } output)
        {
            SaveDownload(output, ArgumentTaint(call, input, positional, keywords), call);
        }
        if (info.CommandRunner is { } runner)
        {
            RunCommand(call, runner);
        }
        if (info.NeverReturns)
        {
            _state.MarkUnreachable(); // `abort(404)`, `sys.exit()`: what follows runs only where the call did not happen
        }
        if (info.Guard is { Effect: SanitizerEffect.Asserts } asserts)
        {
            // `public_key.verify(signature, data, ...)` raises unless `data` is authentic: after it, the data is verified.
            VerifyGuarded(call.Args.Concat(call.Keywords.Select(k => k.Value)), _state,
                $"it was verified by `{Text(call.Func)}` (line {Line(call)}), which raises unless it is authentic: {asserts.Reason}");
        }
        if (info.Source is { } source)
        {
            var received = method?.Value is NameExpr && HeldSource(receiver, source.Name) is { } held
                ? held
                : FetchedFromParameter(SourceTaint(ReceivedKind(source.Model, call), source.Name, call, source.Model.Attributes), source.Model, source.Name, call);
            if (source.Model.SavesTo is { } savesTo && ArgumentFinder.Find(call, savesTo).Value is { } file)
            {
                SaveDownload(file, received, call);
            }
            if (source.Model.SavesInto is { } savesInto && ArgumentFinder.Find(call, savesInto).Value is { } directory)
            {
                ExtractInto(directory, received, call, null, "downloaded into");
            }
            return received;
        }
        var result = TaintValue.Clean;
        var target = info.Functions.IsEmpty ? UnknownReceiver : ReceiverOf(method);
        foreach (var (unit, bound) in info.Functions)
        {
            if (Hides(call, unit))
            {
                continue; // an override that does not run for the receiver class this copy is analysed for
            }
            result = result.Join(ApplySummary(unit, bound, bound ? ReceiverFor(target, unit) : UnknownReceiver, call, positional, keywords, info.BoundPositionals, info.ObjectMethods));
            RelayParameterCalls(unit, (bound ? 1 : 0) + info.BoundPositionals, call, positional, keywords);
        }
        if (info.HandedSources is { } handed)
        {
            result = result.Join(MadeByHandedSources(call, info, handed));
        }
        if (info.Functions is [var (checker, checkerBound)] && info.BoundPositionals == 0)
        {
            VerifyCheckedArguments(checker, checkerBound, call);
        }
        foreach (var (cls, init) in info.Classes)
        {
            if (_program.Index.ClientSourceOf(cls) is { } client)
            {
                result = result.Join(MadeClient(cls, init, client, call, positional, keywords));
            }
            else if (init is not null)
            {
                ApplySummary(init, true, ConstructorReceiver(call, cls, init), call, positional, keywords);
                result = result.Join(HandedToLibraryBase(cls, call, positional, keywords));
            }
            else if (ConstructorReceiver(call, cls, init) is var made && made.Confined)
            {
                StoreRecordFields(cls, call, positional, keywords, made); // only its fields hold the data
            }
            else if (MakesKeywordRecord(cls, call))
            {
                StoreKeywordFields(cls, call, keywords, made); // each keyword its attribute, the object nothing else
            }
            else
            {
                result = result.Join(JoinArguments(positional, keywords).Data); // no __init__ of its own: like a record
                StoreRecordFields(cls, call, positional, keywords, UnknownReceiver with { Made = made.Made, OfCalledClass = made.OfCalledClass });
            }
        }
        // `self.hash_func(item)` holding only digest functions: a digest, none of the item's bytes (FunctionAnalyzer.HeldDigests.cs).
        if (info.PassesThrough && !info.Clears && !CallsHeldDigest(call, positional, keywords))
        {
            var passed = ConstantDictLookup(method, positional) is { } looked ? looked
                : ReadsHeldPart(method, call) ? TaintValue.Clean // the part alone (ContainerEffects)
                : info.Opener is { } opener ? ThroughOpener(call, opener, receiver, positional, keywords)
                : info.Identity is { Argument: { } selector } && ArgumentFinder.Find(call, selector).Value is { } same
                    ? ArgumentTaint(call, same, positional, keywords)
                : info.FromOneArgument is { Argument: { } kept } fromOne
                    ? receiver.Data.Join(ArgumentFinder.Find(call, kept).Value is { } keptArgument ? KeptArgument(call, fromOne, keptArgument, positional, keywords) : TaintValue.Clean)
                : IsLookup(method, call) ? receiver.Data.Join(positional.Length == 2 ? positional[1].Data : TaintValue.Clean)
                : method is { Attr: "get_object" } || SelectsRows(method, call) ? receiver.Data
                : ReturnedByMethod(method, receiver).Join(JoinArguments(positional, keywords, RunBoundMethod(info) is { } ranMethod ? (call, ranMethod) : null).Data);
            if (info.Sanitizer is { Effect: SanitizerEffect.Verifies } verifier && !passed.IsClean)
            {
                var reason = $"it was verified by `{Text(call.Func)}` (line {Line(call)}): {verifier.Reason}";
                passed = VerifiedBy(passed, reason);
                if (info.Invoked is { GetsVerifiedData: true } decoder)
                {
                    // `signing.loads(s, serializer=PickleSerializer)`: the serializer's `loads` decodes what was verified.
                    result = result.Join(ApplySummary(decoder.Unit, UnknownReceiver, UnknownReceiver, call, [(1, passed)], Text(call.Func)));
                }
            }
            result = result.Join(passed);
        }
        if (info.Invoked is { GetsVerifiedData: false } invoked)
        {
            result = result.Join(ApplyInvoked(invoked, call, positional, keywords, info.Functions));
        }
        if (info.Hooks is { } hooks)
        {
            result = result.Join(ApplyHooks(hooks, call, positional, keywords));
        }
        if (method is not null && !info.KeepsReceiver)
        {
            result = result.Join(ContainerEffects(method, call, positional));
        }
        return result;
    }

    /// <summary>
    /// What a propagator whose result comes from one argument gives for it: that argument's data, or for a call that
    /// downloads a literal remote URL it is given (<see cref="PropagatorModel.FetchesUrls"/>: <c>cached_path("https://...")</c>
    /// returns the local path of the downloaded copy) network data.
    /// </summary>
    private TaintValue KeptArgument(CallExpr call, PropagatorModel propagator, Expr argument, TaintValue[] positional, TaintValue[] keywords) =>
        propagator.FetchesUrls && DownloadedFrom(argument, ProvenanceEvaluator.Display(propagator.Names.FirstOrDefault() ?? Text(call.Func)), call) is { } downloaded
            ? downloaded
            : ArgumentTaint(call, argument, positional, keywords);

    /// <summary>
    /// A project subclass of a client class constructed (<c>PicklableRedis(host=...)</c>, a
    /// <c>redis.StrictRedis</c>): the client the library class made in place would be, its reads the server's data.
    /// What it is given only configures it (a host from <c>os.environ</c> is no part of what it reads), so it is not
    /// handed to the base as an unpickler's stream would be; the class's own <c>__init__</c> still runs on it.
    /// </summary>
    private TaintValue MadeClient(Semantic.ClassInfo cls, TaintUnit? init, (SourceModel Model, string Name) client, CallExpr call,
        TaintValue[] positional, TaintValue[] keywords)
    {
        if (init is not null)
        {
            ApplySummary(init, true, ConstructorReceiver(call, cls, init), call, positional, keywords);
        }
        return SourceTaint(ReceivedKind(client.Model, call), client.Name, call, client.Model.Attributes, madeAs: cls.Name);
    }

    /// <summary>
    /// What a subclass of a library class hands its base's constructor with <c>super().__init__(...)</c> (an unpickler's
    /// stream: <c>ClientUnpickler(server, io.BytesIO(data))</c>): the object holds it, as an instance of the library class
    /// made directly would. Project bases keep their own attribute facts instead.
    /// </summary>
    private TaintValue HandedToLibraryBase(Semantic.ClassInfo cls, CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        if (_program.Resolver.HasOnlyProjectBases(cls))
        {
            return TaintValue.Clean;
        }
        var handed = TaintValue.Clean;
        foreach (var argument in SuperInitArguments.HandedOn(cls, call))
        {
            handed = handed.Join(ArgumentTaint(call, argument, positional, keywords).Data);
        }
        return handed;
    }

    /// <summary>
    /// <c>store.get(key)</c> / <c>store.get(key, default)</c> on something nothing models: what the store holds (or the
    /// default), not the key — as <c>store[key]</c> reads it. A client-chosen key into a server-side store
    /// (<c>request.session.get(...)</c>, a cache) gives the server's data.
    /// <c>storage.get_object(bucket, key)</c> on something nothing models is the same read: the stored object, not the
    /// bucket or key that named it (lithops' status objects, keyed by an executor id).
    /// </summary>
    private static bool IsLookup(AttributeExpr? method, CallExpr call) =>
        method is { Attr: "get" } && call.Args.Count is 1 or 2 && call.Keywords.Count == 0 && call.Args[0] is not StarredExpr;

    /// <summary>
    /// <c>query.filter(Schedule.repo_path.in_(paths))</c>, <c>query.filter_by(uuid=uuid)</c> on an object nothing models
    /// (SQLAlchemy's and Django's queries, pandas' and Spark's frames): the criteria choose which rows the result holds,
    /// they are none of their content — the rows are what the store holds, as <c>store.get(key)</c> gives the store's
    /// value, not the key. Not SQL text built in the call (<c>filter(text(f"repo = '{repo}'"))</c>, whose rows a
    /// <c>UNION SELECT</c> makes, as for sqlite3's <c>execute</c>), not a module's function (<c>fnmatch.filter(names,
    /// pattern)</c> returns some of <c>names</c>), and not <c>where</c>, whose <c>other</c> fills pandas' and NumPy's results.
    /// </summary>
    private bool SelectsRows(AttributeExpr? method, CallExpr call) =>
        method is { Attr: "filter" or "filter_by" } && !call.Args.Any(IsBuiltText) && !call.Keywords.Any(k => IsBuiltText(k.Value))
        && _module.CallSiteOf(call) is { } site
        && _program.Resolver.Resolve(call.Func, Resolution.EvalContext.At(site))
            .All(callee => callee is Resolution.ApiValue { Path: var path } && path.Contains(ApiPath.CallMarker + ".", StringComparison.Ordinal));

    /// <summary>A string made in place from parts (an f-string, <c>+</c> or <c>%</c>, <c>.format(...)</c>), or SQLAlchemy's <c>text(...)</c> of anything.</summary>
    private static bool IsBuiltText(Expr argument) => argument switch
    {
        StarredExpr starred => IsBuiltText(starred.Value),
        JoinedStrExpr or BinOpExpr => true,
        CallExpr { Func: AttributeExpr { Attr: "format" or "text" } or NameExpr { Id: "text" } } => true,
        _ => false,
    };

    private const string ArgumentObject = "(argument)"; // no local has this name

    /// <summary>
    /// An argument; an object constructed in place (<c>run(Job(request.data))</c>) carries the attributes its
    /// constructor stored, as a local holding it would when passed whole. A keyword record's attributes keep their
    /// data apart (FunctionAnalyzer.HeldFields.cs).
    /// </summary>
    private TaintValue EvalArgument(Expr argument)
    {
        if (argument is not CallExpr call)
        {
            return argument is NameExpr name && PassedRecord(name) is { } record ? record : Eval(argument);
        }
        var (value, parts) = EvalMade(call);
        if (parts is null)
        {
            return value;
        }
        if (MadeRecord(call, value, parts) is { } made)
        {
            return made;
        }
        foreach (var part in parts.Values)
        {
            value = value.Join(part);
        }
        return value;
    }

    /// <summary>A call that may make an object in place, with the attributes its constructor stored in it (null: none).</summary>
    private (TaintValue Value, Dictionary<string, TaintValue>? Parts) EvalMade(CallExpr call)
    {
        var (outer, outerParts) = (_construction, _constructedParts);
        _construction = (call, ArgumentObject, false);
        _constructedParts = null;
        var value = Eval(call);
        var parts = _constructedParts;
        (_construction, _constructedParts) = (outer, outerParts);
        return (value, parts);
    }

    /// <summary>
    /// <c>Job(data)</c> of a dataclass-like class (<see cref="Semantic.RecordClasses"/>): each argument goes into its field as the
    /// generated <c>__init__</c> stores it, positional arguments in field order, keywords by name — into the parts of
    /// the local it is made for when that object is confined to this function, else class-wide, as for an object a
    /// written <c>__init__</c> fills. <c>Job(name=x)</c> of a SQLAlchemy model (<see cref="MakesKeywordRecord"/>):
    /// each keyword goes into the attribute it names.
    /// </summary>
    private void StoreRecordFields(Semantic.ClassInfo cls, CallExpr call, TaintValue[] positional, TaintValue[] keywords, Receiver made)
    {
        if (MakesKeywordRecord(cls, call))
        {
            StoreKeywordFields(cls, call, keywords, made);
            return;
        }
        var fields = Semantic.RecordClasses.InitFields(_program.ClassAndBases(cls));
        for (var i = 0; i < fields.Count; i++)
        {
            var (owner, field) = fields[i];
            // attrs names the parameter of a private field without its underscores (`_path` is `path=`).
            var value = i < call.Args.Count && call.Args[i] is not StarredExpr ? positional[i]
                : KeywordTaint(call, field, keywords).Join(KeywordTaint(call, field.TrimStart('_'), keywords));
            StoreRecordField(cls, call, owner, field, value, made);
        }
    }

    private void StoreKeywordFields(Semantic.ClassInfo cls, CallExpr call, TaintValue[] keywords, Receiver made)
    {
        for (var k = 0; k < call.Keywords.Count; k++)
        {
            StoreRecordField(cls, call, cls, call.Keywords[k].Arg!, keywords[k], made);
        }
    }

    private void StoreRecordField(Semantic.ClassInfo cls, CallExpr call, Semantic.ClassInfo owner, string field, TaintValue value, Receiver made)
    {
        if (!value.IsClean)
        {
            var stored = TraceLink.Start(_module, call.Span.Start, $"stored in field '{field}' of {cls.Name}");
            StoreAll(made, new() { [(owner, field)] = stored }, value);
        }
    }

    /// <summary>
    /// <c>Job(name=x)</c> of a class whose only library bases are record bases (a SQLAlchemy declarative model, no
    /// <c>__init__</c> of the project's): the library's constructor sets each keyword's attribute and nothing else, so
    /// <c>job.id</c> (the database's) holds none of <c>x</c>. Not with positional arguments (which that constructor
    /// refuses: another constructor runs) or <c>**</c> (attributes this analysis cannot name).
    /// </summary>
    private bool MakesKeywordRecord(Semantic.ClassInfo cls, CallExpr call) =>
        call.Args.Count == 0 && call.Keywords.All(k => k.Arg is not null) && _program.Index.StoresKeywordsByName(cls);

    /// <summary>
    /// <c>cookie.split("!")</c> where the local <c>cookie</c> holds <c>request.cookies.get(...)</c>: the resolver names
    /// the call the same source again, but the data is what the local holds, with the trace from where it entered
    /// (a fresh origin would start the trace at this call). Null when the receiver holds no origin of that source.
    /// </summary>
    private static TaintValue? HeldSource(TaintValue receiver, string source)
    {
        foreach (var origin in receiver.Origins)
        {
            if (origin.IsSource && origin.Label == source)
            {
                return receiver.Data;
            }
        }
        return null;
    }

    private static TaintValue KeywordTaint(CallExpr call, string name, TaintValue[] keywords)
    {
        for (var k = 0; k < call.Keywords.Count; k++)
        {
            if (call.Keywords[k].Arg == name)
            {
                return keywords[k];
            }
        }
        return TaintValue.Clean;
    }

    /// <summary>The part key <c>x.get("k")</c> or <c>cfg.get("section", "option")</c> reads, when its keys are constants.</summary>
    private static string? GetKey(CallExpr call) =>
        call.Args.Count is 1 or 2 && ConstantKey(call.Args[0]) is { } first
            ? call.Args.Count == 2 && ConstantKey(call.Args[1]) is { } second ? first + second : first
            : null;

    /// <summary>
    /// Whether <c>cfg.get("a", "c")</c> reads a part the local <c>cfg</c> holds under those constants (set by
    /// <c>cfg.set("a", "c", v)</c>): the result is that part, not all the local holds (the generic lookup).
    /// </summary>
    private bool ReadsHeldPart(AttributeExpr? method, CallExpr call) =>
        method is { Attr: "get", Value: NameExpr owner } && GetKey(call) is { } key && _state.TryGet(owner.Id, out var held) && held.HasPart(key);

    /// <summary>
    /// <c>MODELS.get(key, default)</c> on a name bound once to a dict display of constants: the result is one of its
    /// constant values or the default, whoever chose the key (the key selects; it does not flow). Null otherwise.
    /// </summary>
    private TaintValue? ConstantDictLookup(AttributeExpr? method, TaintValue[] positional) =>
        method is { Attr: "get", Value: var owner } && positional.Length is 1 or 2
        && ConstantCollectionOf(owner) is DictExpr dict && dict.Values.All(v => v is ConstantExpr)
            ? positional.Length == 2 ? positional[1] : TaintValue.Clean
            : null;

    /// <summary>
    /// What a method call passes on of its callee's value (<paramref name="receiver"/>, the method read from its object):
    /// the data, and the client a client's method makes (<c>connection.pipeline()</c>: a pipeline, whose
    /// <c>execute()</c> returns data; <see cref="ReadObjectAttribute"/> made it with that method's reads).
    /// </summary>
    private TaintValue ReturnedByMethod(AttributeExpr? method, TaintValue receiver) =>
        method is not null && !receiver.IsPlainData && _program.Models.Taint.ClientMadeBy(method.Attr) is { } reads
            ? receiver.Select(reads, static (o, reads) => o.Attributes is null || ReferenceEquals(o.Attributes, reads) ? o : null)
            : receiver.Data;

    /// <summary>
    /// <c>stream.read_bytes(n)</c> on a client whose model names <c>read_bytes</c> as one of its reads (a Tornado
    /// stream, not a <c>pathlib.Path</c>): the result is what the client returns, not a file at a path.
    /// </summary>
    private bool IsClientRead(AttributeExpr? method)
    {
        if (method?.Value is not (NameExpr or AttributeExpr))
        {
            return false;
        }
        foreach (var origin in Eval(method.Value).Origins)
        {
            if (origin.Attributes?.Contains(method.Attr) == true)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// <c>open(path)</c>, <c>path.read_bytes()</c>: the result is the content of the file at the path its modelled
    /// input names, not that input. The input's origins are marked opened here (once: the first opening is the one the
    /// report names), with a step at this call; the other inputs (a mode, an encoding) pass through as they are.
    /// </summary>
    private TaintValue ThroughOpener(CallExpr call, (PropagatorModel Model, string Name) opener, TaintValue receiver, TaintValue[] positional, TaintValue[] keywords)
    {
        var (model, name) = opener;
        TaintValue path, rest;
        switch (model.From)
        {
            case PropagatorSource.Receiver when IsClientRead(call.Func as AttributeExpr):
                return receiver.Data.Join(JoinArguments(positional, keywords).Data);
            case PropagatorSource.Receiver:
                // `Path(P).read_bytes()` after `Path(P).write_bytes(data)`: the saved bytes, as for `open(P)`.
                (path, rest) = (receiver, JoinArguments(positional, keywords).Join(SavedFileAt((call.Func as AttributeExpr)?.Value, call)));
                break;
            case PropagatorSource.AllArguments:
                (path, rest) = (JoinArguments(positional, keywords), receiver);
                break;
            default:
                var argument = model.Argument is { } selector ? ArgumentFinder.Find(call, selector).Value : null;
                if (NamesNoFile(argument))
                {
                    return receiver.Data.Join(JoinArguments(positional, keywords).Data);
                }
                if (model.FetchesUrls && argument is not null && DownloadedFrom(argument, name, call) is { } downloaded)
                {
                    return receiver.Data.Join(JoinOtherArguments(call, argument, positional, keywords).Data).Join(downloaded);
                }
                // A file saved at this constant path earlier holds the source's own bytes: not marked opened.
                (path, rest) = (argument is null ? TaintValue.Clean : ArgumentTaint(call, argument, positional, keywords),
                    receiver.Join(JoinOtherArguments(call, argument, positional, keywords)).Join(SavedFileAt(argument, call)));
                if (argument is not null && Detection.WorkingDirectory.IsRelativeLiteral(argument))
                {
                    // `os.chdir(work_dir)` then `open("job.pickle")`: the file is whatever the directory holds.
                    foreach (var directory in Detection.WorkingDirectory.ChangedTo(_unit.Scope, _program.Resolver))
                    {
                        path = path.Join(Eval(directory));
                    }
                }
                break;
        }
        var data = path.Data;
        if (data.IsClean)
        {
            return rest.Data; // most opened paths are the program's own: no description to build
        }
        // A notebook's lines are those of its cells joined: the trace step at this call shows the cell instead.
        var opened = _module.Path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)
            ? $"opened by `{name}`"
            : $"opened by `{name}` ({Path.GetFileName(_module.Path)}:{Line(call)})";
        var contents = data.Select(o => o.HasOpened ? o : o with
        {
            Trace = o.Trace.Then(_module, call.Span.Start, "opened as a file: its contents are whatever is stored at that path", opened: opened),
        });
        return rest.Data.Join(contents);
    }

    /// <summary>
    /// What a call that also takes URLs reads from a literal remote URL (<c>fsspec.open("https://...")</c>,
    /// <c>pandas.read_pickle("s3://...")</c>): network data, when the threat model follows it; null for anything else.
    /// </summary>
    private TaintValue? DownloadedFrom(Expr argument, string name, CallExpr call) =>
        _program.Options.SourceKinds.Contains(NetworkData) && RemoteUrls.Of(argument, ValueBoundOnce) is { } url
            ? SourceTaint(NetworkData, $"{name}('{url}')", call)
            : null;

    private const string NetworkData = "network-data";

    /// <summary>
    /// <c>open(fd)</c>, <c>io.open(self._fd)</c>, <c>open(f.fileno())</c>: a file descriptor, known here only by its
    /// name; <c>zipfile.ZipFile(io.BytesIO(data))</c>, <c>gzip.open(buf)</c> with <c>buf = io.BytesIO(data)</c>: a buffer
    /// in memory; <c>open(tmp.name)</c> of a temporary file this function made: the file it wrote. None names a file to
    /// pick: whoever handed the descriptor over (<c>recvfds</c> on a socket) may own the stream, the buffer holds the
    /// data itself, the temporary file what was written into it, so what is read from them stays the source's own.
    /// </summary>
    private bool NamesNoFile(Expr? argument) => argument switch
    {
        NameExpr name => IsDescriptorName(name.Id) || ValueBoundOnce(name) is CallExpr made && IsBuffer(made),
        AttributeExpr { Attr: "name", Value: NameExpr handle } => IsTemporaryFile(handle),
        AttributeExpr attribute => IsDescriptorName(attribute.Attr),
        CallExpr { Func: AttributeExpr { Attr: "fileno" } } => true,
        CallExpr made => IsBuffer(made),
        _ => false,
    };

    /// <summary>Whether the local's only binding makes a temporary file (<c>with tempfile.NamedTemporaryFile() as tmp</c>).</summary>
    private bool IsTemporaryFile(NameExpr handle) =>
        _unit.Scope.BindingsOf(handle.Id) is [{ Kind: Semantic.BindingKind.Assignment or Semantic.BindingKind.WithTarget, Value: CallExpr made }]
        && (made.Func switch { NameExpr named => named.Id, AttributeExpr attribute => attribute.Attr, _ => "" })
            .EndsWith("TemporaryFile", StringComparison.Ordinal);

    private static bool IsBuffer(CallExpr call) =>
        call.Func is NameExpr { Id: "BytesIO" or "StringIO" } or AttributeExpr { Attr: "BytesIO" or "StringIO" };

    private static bool IsDescriptorName(string name) => name is "fd" or "fileno" || name.EndsWith("_fd", StringComparison.Ordinal);

    /// <summary>Every argument's taint but <paramref name="except"/>'s.</summary>
    private static TaintValue JoinOtherArguments(CallExpr call, Expr? except, TaintValue[] positional, TaintValue[] keywords)
    {
        var result = TaintValue.Clean;
        for (var i = 0; i < call.Args.Count; i++)
        {
            result = ReferenceEquals(call.Args[i], except) ? result : result.Join(positional[i]);
        }
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            result = ReferenceEquals(call.Keywords[i].Value, except) ? result : result.Join(keywords[i]);
        }
        return result;
    }

    private static bool AnyTainted(TaintValue[] values)
    {
        foreach (var value in values)
        {
            if (!value.IsClean)
            {
                return true;
            }
        }
        return false;
    }

    /// <param name="leftOut">An argument of the call whose taint is left out (<see cref="RunBoundMethod"/>), else null.</param>
    private static TaintValue JoinArguments(TaintValue[] positional, TaintValue[] keywords, (CallExpr Call, Expr Argument)? leftOut = null)
    {
        var result = TaintValue.Clean;
        for (var i = 0; i < positional.Length; i++)
        {
            result = leftOut is { } left && ReferenceEquals(left.Call.Args[i], left.Argument) ? result : result.Join(positional[i]);
        }
        for (var i = 0; i < keywords.Length; i++)
        {
            result = leftOut is { } left && ReferenceEquals(left.Call.Keywords[i].Value, left.Argument) ? result : result.Join(keywords[i]);
        }
        return result;
    }

    /// <summary>
    /// <c>x.append(t)</c> taints <c>x</c> (not a module: <c>os.write(fd, t)</c> calls its function);
    /// <c>cfg.set("s", "o", t)</c> and <c>cfg.get("s", "o")</c> (or <c>d.get("k")</c>) address a part by constant keys.
    /// Returns the taint of a keyed read.
    /// </summary>
    private TaintValue ContainerEffects(AttributeExpr method, CallExpr call, TaintValue[] positional)
    {
        if (method.Value is SubscriptExpr entry && Semantic.CodeFootprint.Mutators.Contains(method.Attr) && positional.Length > 0)
        {
            // `store["a"].update({"b": v})`, `queues[k].append(v)`: the entry gains it, as `store["a"]["b"] = v` makes it.
            var added = JoinArguments(positional, []).Data;
            if (!added.IsClean)
            {
                Assign(entry, null, Eval(entry).Join(added.Step(_module, call.Span.Start, StepText.Quoting("added to", entry))));
            }
            return TaintValue.Clean;
        }
        if (method.Value is AttributeExpr { Value: NameExpr owner } holder)
        {
            if (Semantic.CodeFootprint.Mutators.Contains(method.Attr) && positional.Length > 0)
            {
                var item = JoinArguments(positional, []).Data;
                AddToContainerAttribute(holder, item);
                if (Semantic.CodeFootprint.ChannelMethods.Contains(method.Attr) && !item.IsClean)
                {
                    QueueParameters(owner, holder.Attr, method.Attr, item.Step(_module, call.Span.Start, StepText.Quoting("added to", holder)));
                }
            }
            return TaintValue.Clean;
        }
        if (method.Value is not NameExpr receiver || !_state.TryGet(receiver.Id, out var held))
        {
            held = VarTaint.Clean;
            if (method.Value is not NameExpr)
            {
                return TaintValue.Clean;
            }
        }
        var name = ((NameExpr)method.Value).Id;
        if (method.Attr == "set" && call.Args.Count == 3 && ConstantKey(call.Args[0]) is { } section && ConstantKey(call.Args[1]) is { } option)
        {
            _state.Set(name, held.WithPart(section + option, positional[2]));
            return TaintValue.Clean;
        }
        if (method.Attr == "get" && GetKey(call) is { } key)
        {
            return held.HasPart(key) ? held.Part(key) : TaintValue.Clean;
        }
        if (Semantic.CodeFootprint.Mutators.Contains(method.Attr) && positional.Length > 0)
        {
            var added = JoinArguments(positional, []).Data;
            if (!added.IsClean && !DenotesModule(name))
            {
                var stepped = added.Step(_module, call.Span.Start, $"added to '{name}'");
                // `d.update(other)` may replace any key and `l.insert(0, x)` moves every index: the constant-key parts
                // hold the new data too. Appending leaves the existing parts as they are.
                _state.Set(name, method.Attr is "update" or "insert" or "appendleft" or "extendleft" ? held.JoinEverywhere(stepped) : held.WithWhole(held.Whole.Join(stepped)));
                QueueParameters((NameExpr)method.Value, null, method.Attr, stepped);
                NoteFill(name, stepped);
            }
        }
        return TaintValue.Clean;
    }

    private void CheckSinks(CallExpr call, CallInfo info, TaintValue receiver, TaintValue[] positional, TaintValue[] keywords)
    {
        foreach (var sink in info.Sinks)
        {
            TaintValue value;
            Expr? decoded = null;
            if (sink.Reference is { } reference)
            {
                // `map(pickle.loads, items)`, `executor.submit(pickle.loads, data)`: the callable gets the other arguments.
                value = JoinOtherArguments(call, reference, positional, keywords).Join(CalledWith(info, call, reference, positional, keywords));
            }
            else if (sink.Model.Input is not { } input)
            {
                // A sink without an input decodes what it receives itself (`conn.recv()`, `sock.recv_pyobj()`):
                // when the call is also a source, the peer's data reaches it in one step.
                if (info.Source is not { } received)
                {
                    continue;
                }
                value = SourceTaint(ReceivedKind(received.Model, call), received.Name, call);
            }
            else if (input.On == CallPart.Constructor)
            {
                value = receiver;
            }
            else
            {
                var (kind, argument) = ArgumentFinder.Find(call, input);
                if (kind == ArgumentKind.Unknowable)
                {
                    value = UnpackedArguments(call, positional, keywords);
                }
                else if (kind != ArgumentKind.Found || argument is null)
                {
                    continue;
                }
                else
                {
                    decoded = argument;
                    value = ArgumentTaint(call, argument, positional, keywords).Join(SavedFileAt(argument, call));
                    NotePathRead(argument, sink);
                    if (sink.Model.FetchesUrls && DownloadedFrom(argument, sink.Display, call) is { } downloaded)
                    {
                        value = value.Join(downloaded);
                    }
                }
            }
            foreach (var origin in value.Data.Origins)
            {
                if (!origin.IsSource && _unit.Summary.HasSink(origin, sink))
                {
                    continue; // a re-analysis: the summary keeps the first path
                }
                var trace = origin.Trace.Then(_module, sink.At.Span.Start, $"reaches `{sink.Display}` ({sink.Model.Rule})", Core.TraceStepKind.Sink);
                if (origin.IsSource)
                {
                    if (OwnDefaultFlag(sink) is not { } flag || !_unit.OwnSummary.AddGuardedHit(sink, flag, origin with { Trace = trace }))
                    {
                        _program.RecordHit(sink, origin with { Trace = trace });
                    }
                }
                else
                {
                    _unit.OwnSummary.AddSink(origin, sink, trace);
                }
            }
            RecordVerifiedInput(sink, value.Data);
            if (value.Data.IsClean && decoded is NameExpr local)
            {
                RecordVerifiedUnknown(sink, local);
            }
        }
    }

    /// <summary>
    /// A sink whose input is a parameter this function verified, with nothing unverified beside it (the HMAC envelope
    /// of PG101's own advice: <c>if not hmac.compare_digest(tag, hmac.new(key, body, sha256).digest()): raise</c>,
    /// then <c>pickle.loads(body)</c>): a low hit, so the step-2 finding on data of unknown origin says it is
    /// verified. A source reaching the sink on another path is a hit more severe, which wins.
    /// </summary>
    private void RecordVerifiedInput(SinkKey sink, TaintValue input)
    {
        TaintOrigin? verified = null;
        foreach (var origin in input.Origins)
        {
            if (origin.Verified is null)
            {
                return;
            }
            if (origin.Parameter >= 0)
            {
                verified ??= origin;
            }
        }
        if (verified is { } parameter)
        {
            _program.RecordHit(sink, parameter with { Trace = parameter.Trace.Then(_module, sink.At.Span.Start, $"reaches `{sink.Display}` ({sink.Model.Rule})", Core.TraceStepKind.Sink) });
        }
    }

    /// <summary>
    /// What the unpacked arguments hold (<c>*args</c>, <c>**kwargs</c>): the input a sink reads may be any item of them
    /// when it is not passed by position or name (<c>pickle.loads(*parts)</c>).
    /// </summary>
    private static TaintValue UnpackedArguments(CallExpr call, TaintValue[] positional, TaintValue[] keywords)
    {
        var value = TaintValue.Clean;
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (call.Args[i] is StarredExpr)
            {
                value = value.Join(positional[i]);
            }
        }
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            if (call.Keywords[i].Arg is null)
            {
                value = value.Join(keywords[i]);
            }
        }
        return value;
    }

    private static TaintValue ArgumentTaint(CallExpr call, Expr argument, TaintValue[] positional, TaintValue[] keywords)
    {
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (ReferenceEquals(call.Args[i], argument))
            {
                return positional[i];
            }
        }
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            if (ReferenceEquals(call.Keywords[i].Value, argument))
            {
                return keywords[i];
            }
        }
        return TaintValue.Clean;
    }

    /// <summary>
    /// Applies a callee's summary at this call: arguments that reach its return value flow into the result (with
    /// the callee's inner path spliced into their traces); arguments that reach a sink there are hits (sources) or
    /// extend this function's own summary (parameters); the same for instance attributes, those stored through the
    /// callee's <c>self</c> going to <paramref name="receiver"/>, whose attributes the callee's receiver summary then uses.
    /// </summary>
    /// <param name="skipped">Leading parameters a <c>functools.partial</c> bound (its arguments are not followed).</param>
    /// <param name="objectMethods">Project methods of the arguments' objects the callee may call on its parameters (<see cref="CallInfo.ObjectMethods"/>).</param>
    private TaintValue ApplySummary(TaintUnit callee, bool bound, Receiver receiver, CallExpr call, TaintValue[] positional, TaintValue[] keywords, int skipped = 0,
        ObjectMethod[]? objectMethods = null)
    {
        // A factory's object: the local it is bound to when that is confined here, else nothing (class-wide facts).
        var made = callee.FreshClass is null ? UnknownReceiver : ConstructorReceiver(call);
        // Most calls pass nothing tainted: then only the callee's sources matter.
        if (!AnyTainted(positional) && !AnyTainted(keywords) && objectMethods is null && !HandsObjectMethodsOn(callee))
        {
            ApplyFills(callee, bound, call, positional, keywords, skipped);
            return ApplySummary(callee, receiver, made, call, [], runner: null, directlyBound: skipped == 0 ? bound : null);
        }
        var arguments = _spareArguments ?? [];
        _spareArguments = null; // in use: a call applied meanwhile makes its own
        MapArguments(arguments, callee, bound, call, positional, keywords, skipped);
        KeepReadItems(arguments, callee, call, (bound ? 1 : 0) + skipped);
        if (objectMethods is not null && skipped == 0)
        {
            AddObjectMethodResults(arguments, callee, call, bound ? 1 : 0, objectMethods);
        }
        if (skipped == 0 && HandsObjectMethodsOn(callee))
        {
            HandObjectMethodInputsOn(arguments, callee, call, bound ? 1 : 0);
        }
        ApplyFills(callee, bound, call, positional, keywords, skipped);
        var result = ApplySummary(callee, receiver, made, call, arguments, runner: null, directlyBound: skipped == 0 ? bound : null);
        arguments.Clear();
        _spareArguments = arguments;
        return result;
    }

    /// <summary>
    /// A local dict passed to a parameter the callee reads only by constant keys (<see cref="TaintUnit.KeysRead"/>:
    /// <c>run_bundle(b)</c> with <c>def run_bundle(bundle): loads(bundle["function"])</c>): only what the local holds
    /// under those keys reaches the callee; data in its other items does not.
    /// </summary>
    private void KeepReadItems(List<(int Parameter, TaintValue Value)> arguments, TaintUnit callee, CallExpr call, int offset)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var (parameter, value) = arguments[i];
            if (value.IsClean || parameter == callee.KwargIndex || parameter == callee.VarargIndex
                || ArgumentFor(callee, call, parameter, offset) is not NameExpr name
                || !_state.TryGet(name.Id, out var local) || local.Parts is null
                || callee.KeysRead(parameter) is not { } keys)
            {
                continue;
            }
            var kept = TaintValue.Clean; // a key the local does not track reads its whole value (VarTaint.Part)
            foreach (var key in keys)
            {
                kept = kept.Join(local.Part(StringKey(key)));
            }
            arguments[i] = (parameter, kept);
        }
    }

    /// <param name="made">Where a factory's object goes (<see cref="ConstructorReceiver"/>).</param>
    /// <param name="runner">The library call that calls <paramref name="callee"/> (<see cref="ApplyInvoked"/>), for the trace; null for a direct call.</param>
    /// <param name="directlyBound">For a direct call whose arguments map plainly onto the parameters, whether the receiver is bound (<see cref="UnlessMadeSafe"/>); null otherwise.</param>
    /// <param name="calledBy">For a function handed to project helpers, their calls of it (<see cref="HelperCalls"/>); null otherwise.</param>
    private TaintValue ApplySummary(TaintUnit callee, Receiver receiver, Receiver made, CallExpr call, IReadOnlyList<(int Parameter, TaintValue Value)> arguments, string? runner,
        bool? directlyBound = null, (List<CallExpr> Calls, bool Bound)? calledBy = null)
    {
        var summary = callee.Summary;
        var result = TaintValue.Clean;
        (bool Read, SafeFlag? Flag) typeTest = default; // FileTestAround(call), read once some argument reaches a sink
        for (var a = 0; a < arguments.Count; a++) // not foreach: no enumerator object per call
        {
            var (parameter, value) = arguments[a];
            if (value.IsClean)
            {
                continue;
            }
            var verifiedReturn = summary.VerifiedReturn(parameter);
            var toReturn = summary.TryGetReturn(parameter, out var chain) ? chain : verifiedReturn?.Chain;
            Dictionary<SinkKey, SafeFlag>? relayed = null;
            var sinks = directlyBound is { } bound ? UnlessMadeSafe(callee, parameter, call, bound, summary.SinksOf(parameter), out relayed)
                : calledBy is { } helperCalls ? UnlessCalledSafely(callee, parameter, helperCalls, summary.SinksOf(parameter)) : summary.SinksOf(parameter);
            var attributes = summary.AttributesOf(parameter);
            var receiverStores = summary.ReceiverStoresOf(parameter);
            var variables = summary.VariablesOf(parameter);
            var freshStores = summary.FreshStoresOf(parameter);
            var madeStores = summary.MadeStoresOf(parameter);
            if (toReturn is null && sinks is null && attributes is null && receiverStores is null && variables is null && freshStores is null && madeStores is null)
            {
                continue; // the callee keeps nothing of this argument: no step to add (most arguments)
            }
            // A method's result on a parameter (AddObjectMethodResults) is the method's data, with its step at this call already.
            var methodResult = TaintOrigin.IsObjectMethodIndex(parameter);
            var name = callee.Parameters[methodResult ? TaintOrigin.ObjectMethodParameter(parameter) : parameter].ArgValue;
            var data = methodResult ? value : ObjectDataFor(callee, parameter, value);
            if (data.IsClean)
            {
                continue;
            }
            var passed = methodResult ? data : data.Step(_module, call.Span.Start, runner is null
                ? StepMessage(callee, parameter)
                : $"passed as '{name}' to '{callee.Name}', which `{runner}` calls");
            if (passed.HoldsFields && !methodResult)
            {
                // Only an attribute the callee stores the object itself in keeps its data held (`self.record = record`).
                (passed, receiverStores) = (passed.Unheld(), StoreWholeObject(callee, parameter, receiverStores, receiver, passed));
            }
            if (sinks is not null && !typeTest.Read)
            {
                typeTest = (true, FileTestAround(call));
            }
            var returned = ApplyInput(summary, passed, toReturn, sinks, attributes, receiverStores, receiver, !methodResult && ReturnsParameterItself(callee, name) ? [] : summary.ReturnReads(parameter),
                relayed, typeTest.Flag);
            if (verifiedReturn is { } verified)
            {
                // The callee returns the argument only once a guard authenticated it (`return data` after the HMAC check).
                returned = VerifiedBy(returned, verified.Reason);
            }
            result = result.Join(returned);
            if (variables is not null)
            {
                StoreVariables(variables, passed);
            }
            if (freshStores is not null)
            {
                StoreAll(made, freshStores, passed, onObjects: true, summary);
            }
            if (madeStores is not null)
            {
                StoreMade(madeStores, passed, call);
            }
        }
        if (summary.FreshSources is { } freshSources)
        {
            ApplyFreshSources(made, freshSources);
        }
        if (summary.GuardedHits is { } guardedHits)
        {
            RecordGuardedHits(callee, call, guardedHits, directlyBound, calledBy);
        }
        if (receiver.Kind != ReceiverKind.Unknown && summary.ReceiverInputs.Count > 0)
        {
            result = result.Join(ApplyReceiverInputs(callee, receiver, call));
        }
        if (!summary.ReturnSources.IsClean)
        {
            result = result.Join(FetchedHere(callee, call, directlyBound, ReturnedSources(callee, receiver, call, summary.ReturnSources)).Step(_module, call.Span.Start, StepMessage(callee, ReturnedStep)));
        }
        return result;
    }

    /// <summary>The step <see cref="StepMessage"/> describes for a callee's return of source data.</summary>
    private const int ReturnedStep = -1;

    /// <summary>
    /// The trace step at a call of <paramref name="callee"/>: an argument passed as its parameter <paramref name="parameter"/>,
    /// or its source data returned (<see cref="ReturnedStep"/>). Kept per callee and parameter: the same text was built
    /// at every such call of every analysis.
    /// </summary>
    private string StepMessage(TaintUnit callee, int parameter)
    {
        if (!_stepMessages.TryGetValue((callee, parameter), out var message))
        {
            message = parameter == ReturnedStep
                ? $"returned from '{callee.Name}'"
                : $"passed as '{callee.Parameters[parameter].ArgValue}' to '{callee.Name}'";
            _stepMessages[(callee, parameter)] = message;
        }
        return message;
    }

    /// <summary>
    /// What an argument brings to the callee's parameter: an object source (a view's <c>request</c>) only when the
    /// callee, or a project function it hands the parameter on to, reads one of its data attributes on it, or uses it
    /// otherwise than by reading attributes (<see cref="ProjectIndex.ParameterUsesOf"/>); <c>request.session</c> alone
    /// brings nothing. Data held in attributes of an object passed whole (<see cref="OriginKey.HeldIn"/>) the same,
    /// unless the callee calls a method of it. Plain data as is.
    /// </summary>
    private TaintValue ObjectDataFor(TaintUnit callee, int parameter, TaintValue value)
    {
        if (value.IsPlainData && !value.HoldsFields || parameter >= callee.Parameters.Length
            || _program.Index.ParameterUsesOf(callee, parameter) is not { Attributes: { } read, Called: { } called })
        {
            return value;
        }
        // A static map with its state: a lambda capturing `uses` made its closure on every call (1.1 MB of the stdlib's fixpoint).
        return value.Select((Read: read, CallsMethods: called.Count > 0, Analyzer: this), static (o, s) =>
            o.Attributes is not null ? o.Attributes.Any(s.Read.Contains) ? o : null
            : s.CallsMethods ? o : s.Analyzer.HeldForUses(o, s.Read));
    }

    /// <summary>Pairs each argument with the callee's parameter it binds (positional, *args, keywords, **kwargs), into <paramref name="arguments"/>.</summary>
    private void MapArguments(List<(int Parameter, TaintValue Value)> arguments,
        TaintUnit callee, bool bound, CallExpr call, TaintValue[] positional, TaintValue[] keywords, int skipped)
    {
        var offset = (bound ? 1 : 0) + skipped;
        var starred = false; // a starred argument so far: the positions after it are not known
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (call.Args[i] is StarredExpr)
            {
                starred = true;
                for (var p = i + offset; p < callee.PositionalCount; p++)
                {
                    arguments.Add((p, positional[i]));
                }
                if (callee.VarargIndex >= 0)
                {
                    arguments.Add((callee.VarargIndex, positional[i]));
                }
                continue;
            }
            var index = i + offset;
            if (index < callee.PositionalCount)
            {
                arguments.Add((index, positional[i]));
            }
            else if (callee.VarargIndex >= 0)
            {
                arguments.Add((callee.VarargIndex, starred ? positional[i] : ThroughArgs(callee, index - callee.PositionalCount, positional[i])));
            }
        }
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            var keyword = call.Keywords[i].Arg;
            var index = keyword is null ? -1 : callee.IndexOfParameter(keyword);
            if (keyword is null)
            {
                // `**d` binds only what the call leaves unbound (a key bound twice raises TypeError), never `*args`.
                var keys = ForwardedKeys(call.Keywords[i].Value);
                for (var p = offset; p < callee.Parameters.Length; p++)
                {
                    if (p != callee.VarargIndex && !BoundExplicitly(callee, call, p, offset)
                        && (keys is null || p == callee.KwargIndex || keys.Contains(callee.Parameters[p].ArgValue)))
                    {
                        // The callee's own `**kwargs` collects every item; a named parameter, the item of its name.
                        arguments.Add((p, p == callee.KwargIndex ? keywords[i] : SplatItem(call.Keywords[i].Value, callee.Parameters[p].ArgValue, keywords[i])));
                    }
                }
            }
            else if (index >= 0)
            {
                arguments.Add((index, keywords[i]));
            }
            else if (callee.KwargIndex >= 0)
            {
                arguments.Add((callee.KwargIndex, ThroughKwargs(callee, keyword!, keywords[i])));
            }
        }
    }

    /// <summary>
    /// The keys <c>**d</c> can hold when <c>d</c> is this function's own <c>**kwargs</c> and every call of the function is
    /// known (<see cref="TaintUnit.CallerKeywords"/>): a parameter of no such name gets nothing from it. Else null.
    /// </summary>
    private IReadOnlySet<string>? ForwardedKeys(Expr splatted) =>
        _unit.IsOwnKwargs(splatted) ? _unit.CallerKeywords(_program.Index) : null;

    /// <summary>
    /// What <c>**d</c> passes for the parameter <paramref name="name"/> when the items of <c>d</c> are known apart: the
    /// item under that key of a local dict (<c>kwargs["exclusive_start_key"] = esk</c> taints no other parameter); else
    /// <paramref name="whole"/>, all of <c>d</c>. A dict held in an attribute (<c>**self.kwargs</c>) is one value.
    /// </summary>
    private TaintValue SplatItem(Expr splatted, string name, TaintValue whole)
    {
        if (whole.IsClean)
        {
            return whole;
        }
        if (splatted is NameExpr local && _state.TryGet(local.Id, out var held) && held.Parts is not null)
        {
            return held.Part(StringKey(name));
        }
        return whole;
    }

    /// <summary>
    /// An argument bound to the callee's <c>**kwargs</c>: passed under a keyword the callee never reads from it
    /// (<see cref="PackedArgumentReads"/>), it brings nothing (rq's <c>enqueue(..., pipeline=pipe)</c>, whose helper pops
    /// the pipeline and drops it).
    /// </summary>
    private static TaintValue ThroughKwargs(TaintUnit callee, string keyword, TaintValue value) =>
        value.IsClean || callee.KeywordsRead is not { } read || read.Contains(keyword) ? value : TaintValue.Clean;

    /// <summary>The same for an argument at <paramref name="position"/> of the callee's <c>*args</c>, never read by that index.</summary>
    private static TaintValue ThroughArgs(TaintUnit callee, int position, TaintValue value) =>
        value.IsClean || callee.PositionsRead is not { } read || read.Contains(position.ToString(System.Globalization.CultureInfo.InvariantCulture))
            ? value
            : TaintValue.Clean;

    /// <summary>
    /// Whether every <c>return</c> of the callee gives back its parameter <paramref name="name"/> itself (a pass-through
    /// helper, ClearML's <c>identity(req)</c>): an object source passed in comes back as that object, whose data is only
    /// the attributes its model names, not as data derived from it.
    /// </summary>
    private static bool ReturnsParameterItself(TaintUnit callee, string name)
    {
        if (callee.Function is not { Returns.Length: > 0 } function || OwnParameter(callee, name) is null)
        {
            return false;
        }
        foreach (var (value, _) in function.Returns) // a plain loop: a lambda capturing the name made a closure per call
        {
            if (value is not NameExpr returned || returned.Id != name)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Whether the call binds the callee's parameter <paramref name="parameter"/> by a plain positional argument (the first <paramref name="offset"/> parameters are the receiver's and a partial's) or by name.</summary>
    private static bool BoundExplicitly(TaintUnit callee, CallExpr call, int parameter, int offset)
    {
        var position = parameter - offset;
        if (parameter < callee.PositionalCount && position < call.Args.Count && !ProjectIndex.StarredUpTo(call, position))
        {
            return true;
        }
        return KeywordNamed(call, callee.Parameters[parameter].ArgValue) is not null;
    }

    private int Line(Node node) => _module.Source.GetLinePosition(node.Span.Start).Line;
}
