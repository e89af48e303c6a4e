using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Decides whether an expression is program-controlled by following local bindings, module constants,
/// serializers (data the program produced) and propagators (<c>open(path)</c>, <c>f.read()</c>, <c>os.path.join</c>).
/// Anything else — parameters, attributes, other call results, subscripts — is of unknown provenance.
/// </summary>
internal sealed partial class ProvenanceEvaluator
{
    private const int MaxDepth = 24;
    private const int MaxDescription = 60;

    private readonly ValueResolver _resolver;
    private readonly ModelSet _models;
    private readonly HashSet<Binding> _inProgress = [];
    private readonly HashSet<FunctionInfo> _functionsFollowed = [];

    /// <summary>
    /// Per scope tree, name and key read: whether the name is only read by constant keys, storing under other keys than
    /// this one only, or (key null) only read as a table (see <see cref="ConstantLookupChecker"/>).
    /// </summary>
    private readonly Dictionary<(Node Scope, string Name, object? Key), bool> _readOnly = [];
    private readonly StoredObjectVisibility _visibility;
    private int _depth;

    public ProvenanceEvaluator(ValueResolver resolver, ModelSet models)
    {
        _resolver = resolver;
        _models = models;
        _visibility = new StoredObjectVisibility(resolver);
    }

    public Provenance Evaluate(Expr expr, EvalContext context)
    {
        if (_depth > MaxDepth)
        {
            return Provenance.Unknown("an expression too deep to follow");
        }
        _depth++;
        try
        {
            return expr switch
            {
                ConstantExpr => Provenance.Program("a literal"),
                JoinedStrExpr joined => JoinAll(joined.Values, context, "an f-string of literals"),
                FormattedValueExpr formatted => Evaluate(formatted.Value, context),
                BinOpExpr binary => Evaluate(binary.Left, context).Join(Evaluate(binary.Right, context)),
                IfExpr conditional => Evaluate(conditional.Body, context).Join(Evaluate(conditional.Orelse, context)),
                BoolOpExpr boolean => JoinAll(boolean.Values, context, "a literal"),
                TupleExpr tuple => JoinAll(tuple.Elts, context, "a literal"),
                ListExpr list => JoinAll(list.Elts, context, "a literal"),
                NamedExpr named => Evaluate(named.Value, context),
                AwaitExpr awaited => Evaluate(awaited.Value, context),
                NameExpr name => EvaluateName(name, context),
                CallExpr call => EvaluateCall(call, context),
                AttributeExpr attribute => EvaluateAttribute(attribute, context),
                SubscriptExpr subscript => EvaluateSubscript(subscript, context),
                ListCompExpr comprehension when SerializerCalled(comprehension.Elt, context) is { } serializer =>
                    Provenance.Program($"a list of data produced by {serializer}()"),
                _ => Provenance.Unknown($"'{Text(expr, context)}'"),
            };
        }
        finally
        {
            _depth--;
        }
    }

    private Provenance JoinAll(IEnumerable<Expr> exprs, EvalContext context, string description)
    {
        var result = Provenance.Program(description);
        foreach (var expr in exprs)
        {
            result = result.Join(Evaluate(expr, context));
            if (!result.IsProgramControlled)
            {
                break;
            }
        }
        return result;
    }

    private Provenance EvaluateName(NameExpr name, EvalContext context)
    {
        var bindings = _resolver.ReachingBindings(name.Id, context);
        if (bindings.Count == 0)
        {
            return name.Id is "__file__" or "__name__" or "__spec__"
                ? Provenance.Program("the module's own path")
                : Provenance.Unknown($"'{name.Id}'");
        }
        return JoinBindings(bindings, Provenance.Program("a literal"));
    }

    /// <summary>
    /// An attribute of a project module, class or instance is as trusted as every value stored in it
    /// (<c>CONFIG.CACHE</c>, <c>self.path = "cache.pkl"</c>, and on an instance also <c>obj.path = v</c> anywhere in
    /// the project on an object a method may see, see <see cref="OutsideStores"/>), a pathlib path's parent as the path
    /// (<see cref="ParentOfPath"/>); anything else is of unknown provenance.
    /// </summary>
    private Provenance EvaluateAttribute(AttributeExpr attribute, EvalContext context)
    {
        if (attribute.Attr == "strpath")
        {
            return Evaluate(attribute.Value, context); // py.path's string form (pytest's `tmpdir.join("a.pkl").strpath`)
        }
        if ((NameOfProgramObject(attribute, context) ?? ParentOfPath(attribute, context)) is { } known)
        {
            return known;
        }
        var unknown = Provenance.Unknown($"attribute '{Text(attribute, context)}'");
        // `a = Holder(); a.data = request.data`: a store on this object in this scope counts too, not only the
        // class's `self.data = ...` stores (else the class's literal default would make the call look program-controlled).
        if (attribute.Value is NameExpr owner)
        {
            foreach (var stored in AttributeStoreCollector.Of(context.Scope.Node, owner.Id, attribute.Attr))
            {
                if (stored is not null && stored.Span.Start <= attribute.Span.Start && attribute.Span.End <= stored.Span.End)
                {
                    continue; // `row.value = json.dumps(pickle.loads(row.value))`: the read is before its own store
                }
                var provenance = stored is null ? unknown : Evaluate(stored, context);
                if (!provenance.IsProgramControlled)
                {
                    return provenance;
                }
            }
        }
        var receivers = _resolver.Resolve(attribute.Value, context);
        if (receivers.Count == 0)
        {
            return unknown;
        }
        var bindings = new List<Binding>();
        foreach (var receiver in receivers)
        {
            if (_resolver.AttributeBindings(receiver, attribute.Attr) is not { } found)
            {
                return unknown;
            }
            bindings.AddRange(found);
            // `a = Loader(); a.data = request.data; a.load()` elsewhere makes `self.data` in `load` what the route stored;
            // `Config.PATH = sys.argv[1]` makes `Config.PATH` what the command line gave.
            if (receiver switch { InstanceValue instance => instance.Class, ClassValue made => made.Class, _ => null } is { } cls)
            {
                if (OutsideStores(cls, attribute.Attr) is not { } stores)
                {
                    return Provenance.Unknown($"attribute '{Text(attribute, context)}' (stored in more places than are checked)");
                }
                bindings.AddRange(stores);
            }
        }
        return JoinBindings(bindings, unknown);
    }

    /// <summary>
    /// <c>cfg["key"]</c> where every binding of <c>cfg</c> reaching here is a dict display holding that constant key
    /// and <c>cfg</c> is only ever read by constant keys (<see cref="ConstantLookupChecker"/>): the value the display
    /// put there. Anything else is of unknown provenance.
    /// </summary>
    private Provenance EvaluateSubscript(SubscriptExpr subscript, EvalContext context)
    {
        var unknown = Provenance.Unknown($"'{Text(subscript, context)}'");
        // A part of what the program made: `dumps(obj)[-1]` of kombu's (type, encoding, bytes), `Path(__file__).parents[1]`.
        if (subscript.Value is CallExpr or AttributeExpr { Attr: "parents" } && Evaluate(subscript.Value, context) is { IsProgramControlled: true } produced)
        {
            return produced;
        }
        if (subscript.Value is not NameExpr name)
        {
            return FilledDictRead(subscript, context, element: -1) ?? unknown;
        }
        if (ConstantLookupChecker.KeyOf(subscript.Slice) is not { } key)
        {
            return TableValues(name, context) ?? FilledDictRead(subscript, context, element: -1) ?? unknown;
        }
        var bindings = _resolver.ReachingBindings(name.Id, context);
        var values = new List<(Expr Value, Binding Binding)>(bindings.Count);
        foreach (var binding in bindings)
        {
            if (binding is not { Kind: BindingKind.Assignment, Value: DictExpr dict } || ValueUnder(dict, key) is not { } value
                || !OnlyRead(binding.Scope.Node, name.Id, key))
            {
                // `items[0]` of a list: one of its values (a key a dict display lacks is no value of it).
                return bindings.Any(b => b.Value is DictExpr) ? unknown : TableValues(name, context) ?? unknown;
            }
            values.Add((value, binding));
        }
        var result = values.Count == 0 ? unknown : Provenance.Program("a literal");
        foreach (var (value, binding) in values)
        {
            result = result.Join(Evaluate(value, EvalContext.Of(binding)));
        }
        return result;
    }

    /// <summary>
    /// Any value of a table: <c>MODELS[name]</c> or <c>MODELS.get(name)</c> whoever chose the key, where every binding of
    /// <c>MODELS</c> reaching here is a dict display (no <c>**</c>) or a list or tuple display (no <c>*</c>:
    /// <c>SNAPSHOTS[int(n)]</c>) and the name is only ever read as a table
    /// (<see cref="ConstantLookupChecker.OnlyReadAsTable"/>): as trusted as all its values together. Null otherwise.
    /// </summary>
    private Provenance? TableValues(NameExpr name, EvalContext context)
    {
        var bindings = _resolver.ReachingBindings(name.Id, context);
        if (bindings.Count == 0)
        {
            return null;
        }
        var result = Provenance.Program($"a value of the table '{name.Id}'");
        foreach (var binding in bindings)
        {
            var values = binding is not { Kind: BindingKind.Assignment } ? null : binding.Value switch
            {
                DictExpr dict when !dict.Keys.Any(k => k is null) => dict.Values,
                ListExpr list when !list.Elts.Any(e => e is StarredExpr) => list.Elts,
                TupleExpr tuple when !tuple.Elts.Any(e => e is StarredExpr) => tuple.Elts,
                // `[pickle.dumps(x) for x in items]`: each element is as trusted as the list (see Evaluate).
                ListCompExpr comprehension => [comprehension],
                _ => null,
            };
            if (values is null || !OnlyRead(binding.Scope.Node, name.Id, key: null))
            {
                return null;
            }
            foreach (var value in values)
            {
                if (!result.IsProgramControlled)
                {
                    return result;
                }
                result = result.Join(Evaluate(value, EvalContext.Of(binding)));
            }
        }
        return result;
    }

    /// <summary>The value a dict display puts under <paramref name="key"/> (the last one, as Python keeps), or null (a <c>**</c> splat: unknown).</summary>
    private static Expr? ValueUnder(DictExpr dict, object key)
    {
        Expr? found = null;
        for (var i = 0; i < dict.Keys.Count; i++)
        {
            if (dict.Keys[i] is not { } written)
            {
                return null;
            }
            if (Equals(ConstantLookupChecker.KeyOf(written), key))
            {
                found = dict.Values[i];
            }
        }
        return found;
    }

    /// <param name="key">The constant key read, or null for any key (a table).</param>
    private bool OnlyRead(Node scopeNode, string name, object? key)
    {
        if (!_readOnly.TryGetValue((scopeNode, name, key), out var only))
        {
            _readOnly[(scopeNode, name, key)] = only = key is null
                ? ConstantLookupChecker.OnlyReadAsTable(scopeNode, name)
                : ConstantLookupChecker.OnlyReadByConstantKeys(scopeNode, name, key);
        }
        return only;
    }

    private static bool HasDeadAndLive(IReadOnlyList<Binding> bindings)
    {
        var dead = false;
        var live = false;
        for (var i = 0; i < bindings.Count; i++) // no enumerator: this runs for every name a sink's input reads
        {
            dead |= bindings[i].Blocks.Dead;
            live |= !bindings[i].Blocks.Dead;
        }
        return dead && live;
    }

    private Provenance JoinBindings(IReadOnlyList<Binding> bindings, Provenance whenEmpty)
    {
        var result = whenEmpty;
        var first = true;
        // A binding in a branch that never runs (`if False:`, `if TYPE_CHECKING:`) gives nothing, unless it is all there is.
        var skipDead = HasDeadAndLive(bindings);
        foreach (var binding in bindings)
        {
            if (skipDead && binding.Blocks.Dead || !_inProgress.Add(binding))
            {
                continue;
            }
            try
            {
                var provenance = EvaluateBinding(binding);
                result = first ? provenance : result.Join(provenance);
                first = false;
            }
            finally
            {
                _inProgress.Remove(binding);
            }
            if (!result.IsProgramControlled)
            {
                break;
            }
        }
        return result;
    }

    /// <summary>
    /// pytest's <c>tmp_path</c>/<c>tmpdir</c> fixture in a test or a fixture: a directory made for this test alone, so a
    /// literal name in it is the program's file (joblib's tests: ~35 findings of unknown origin before); or its
    /// session-scoped factory <c>tmp_path_factory</c>/<c>tmpdir_factory</c>, whose <c>mktemp(name)</c> makes a fresh one.
    /// </summary>
    private static bool IsPytestTemporaryDirectory(Binding binding) =>
        binding.Name is "tmp_path" or "tmpdir" or "tmp_path_factory" or "tmpdir_factory"
        && binding.Scope.Module.Functions.TryGetValue(binding.Scope.Node, out var function)
        && (function.Name.StartsWith("test", StringComparison.Ordinal)
            || function.Decorators.Any(d => (d is CallExpr call ? call.Func : d) is AttributeExpr { Attr: "fixture" } or NameExpr { Id: "fixture" }));

    private Provenance EvaluateBinding(Binding binding) => binding.Kind switch
    {
        BindingKind.Parameter when IsPytestTemporaryDirectory(binding) => Provenance.Program(binding.Name.EndsWith("_factory", StringComparison.Ordinal)
            ? $"a path in a fresh temporary directory of pytest's '{binding.Name}'"
            : $"a path in pytest's fresh temporary directory '{binding.Name}'"),
        BindingKind.Parameter => Provenance.Unknown($"parameter '{binding.Name}'"),
        BindingKind.WithTarget when binding.Value is { } managed && YieldedByContextManager(managed, EvalContext.Of(binding)) is { } yielded => UnlessFilledAfter(binding, yielded),
        BindingKind.Assignment or BindingKind.WithTarget when binding.Value is { } value => EvaluateAssigned(binding, value),
        // `expires, value = self._cache.get(key, (0, None))`: the part of an item of a dict the program fills itself.
        BindingKind.Unpacked when binding.Value is { } read && FilledDictRead(read, EvalContext.Of(binding), binding.Element) is { } part => part,
        // `content_type, encoding, body = dumps(obj)`: each part of a value the program made is the program's.
        BindingKind.Unpacked when binding.Value is CallExpr made && EvaluateAssigned(binding, made) is { IsProgramControlled: true } parts => parts,
        BindingKind.ForTarget or BindingKind.ComprehensionTarget when binding.Value is { } iterable =>
            ElementsOf(iterable, EvalContext.Of(binding), binding.Name, 0),
        // Reading a property runs its getter: what it returns, which a subclass may change, not the function object (also
        // where its setter or deleter binds the name last).
        BindingKind.FunctionDef when binding.Function is { IsProperty: true } or { AccessedProperty: not null } => Provenance.Unknown($"property '{binding.Name}'"),
        BindingKind.Import or BindingKind.ImportFrom or BindingKind.FunctionDef or BindingKind.ClassDef => Provenance.Program("a program object"),
        _ => Provenance.Unknown($"'{binding.Name}'"),
    };

    /// <summary>What an assignment bound, unless code after it filled the object with outside data (<see cref="FilledAfter"/>).</summary>
    private Provenance EvaluateAssigned(Binding binding, Expr value) => UnlessFilledAfter(binding, Evaluate(value, EvalContext.Of(binding)));

    private Provenance UnlessFilledAfter(Binding binding, Provenance bound) =>
        bound.IsProgramControlled ? FilledAfter(binding) ?? bound : bound;

    /// <summary>
    /// The provenance of a loop variable: the join of the elements when the iterable is a literal collection, or a
    /// name bound only to literal collections (<c>cases = [b"...", b"..."]; for c in cases:</c>).
    /// </summary>
    private Provenance ElementsOf(Expr iterable, EvalContext context, string variable, int depth)
    {
        switch (iterable)
        {
            case TupleExpr tuple:
                return JoinAll(tuple.Elts, context, "a literal");
            case ListExpr list:
                return JoinAll(list.Elts, context, "a literal");
            case SetExpr set:
                return JoinAll(set.Elts, context, "a literal");
            case NameExpr name when depth < 4:
                var bindings = _resolver.ReachingBindings(name.Id, context);
                if (bindings.Count > 0 && bindings.All(b => b.Kind == BindingKind.Assignment && b.Value is not null))
                {
                    var result = Provenance.Program("a literal");
                    foreach (var binding in bindings)
                    {
                        result = result.Join(ElementsOf(binding.Value!, EvalContext.Of(binding), variable, depth + 1));
                        result = result.IsProgramControlled ? FilledAfter(binding) ?? result : result;
                    }
                    return result;
                }
                break;
        }
        return Provenance.Unknown($"loop variable '{variable}'");
    }

    private Provenance EvaluateCall(CallExpr call, EvalContext context)
    {
        var callees = _resolver.Resolve(call.Func, context);
        foreach (var callee in callees)
        {
            if (callee is not ApiValue api)
            {
                continue;
            }
            if (_models.SerializerFor(api.Path) is not null)
            {
                return Provenance.Program($"data produced by {Display(api.Path)}()");
            }
            if (_models.Taint.SanitizerFor(api.Path) is { Effect: SanitizerEffect.Clears })
            {
                // A digest, a number, or a fresh temporary directory: none of the input's bytes (sanitizers/builtin.toml).
                return Provenance.Program($"the result of {Display(api.Path)}()");
            }
            if (_models.PropagatorFor(api.Path) is { } propagator)
            {
                return Propagate(propagator, call, context);
            }
        }
        // `MODELS.get(name)` / `MODELS.get(name, default)` on a table: one of its values, or the default (None when absent).
        if (call.Func is AttributeExpr { Attr: "get", Value: NameExpr table } && call.Args.Count is 1 or 2 && call.Keywords.Count == 0
            && TableValues(table, context) is { IsProgramControlled: true } values)
        {
            return call.Args.Count == 2 ? values.Join(Evaluate(call.Args[1], context)) : values;
        }
        if (FilledDictRead(call, context, element: -1) is { } filled)
        {
            return filled;
        }
        if (call.Func is AttributeExpr method && _models.MethodPropagatorFor(method.Attr) is { } methodPropagator
            && !callees.Any(c => c is FunctionValue))
        {
            var received = Evaluate(method.Value, context);
            return (methodPropagator.Opens ? OpenedFile(method.Value, received, context) : received).Join(Propagate(methodPropagator, call, context));
        }
        return ReturnedByProjectFunction(callees) ?? Provenance.Unknown($"the result of '{Text(call, context)}'");
    }

    /// <summary>
    /// The display name of the serializer <paramref name="element"/> calls (<c>pickle.dumps(x)</c>: bytes the program
    /// made, whatever <c>x</c> is), else null. Only the callee is resolved, in <paramref name="context"/>: a
    /// comprehension's own variables are not bound there, and a serializer's result does not depend on them.
    /// </summary>
    private string? SerializerCalled(Expr element, EvalContext context)
    {
        if (element is not CallExpr call)
        {
            return null;
        }
        foreach (var callee in _resolver.Resolve(call.Func, context))
        {
            if (callee is ApiValue api && _models.SerializerFor(api.Path) is not null)
            {
                return Display(api.Path);
            }
        }
        return null;
    }

    /// <summary>
    /// A call of one project function whose every <c>return</c> gives program-controlled data (<c>def empty(): return
    /// b"..."</c>, <c>return pickle.dumps(state)</c>): so is its result. Not a method, nor through a decorator that may
    /// replace the function, nor into a function already being followed (recursion); the depth bound holds as for any
    /// expression.
    /// </summary>
    private Provenance? ReturnedByProjectFunction(IReadOnlyList<SymbolicValue> callees)
    {
        // Functions only: a method called through `self` may be overridden by a subclass the resolver did not pick.
        if (callees is not [FunctionValue { Function: { Owner: null } function }] || function.Returns.Length == 0
            || !KeepsItsReturns(function) || !_functionsFollowed.Add(function))
        {
            return null;
        }
        try
        {
            Provenance? first = null;
            foreach (var (value, blocks) in function.Returns)
            {
                var returned = value is null
                    ? Provenance.Program("None")
                    : Evaluate(value, new EvalContext(function.Scope, value.Span.Start, blocks));
                if (!returned.IsProgramControlled)
                {
                    return null;
                }
                first ??= returned;
            }
            return Provenance.Program($"what '{function.Name}()' returns, {first!.Value.Description}");
        }
        finally
        {
            _functionsFollowed.Remove(function);
        }
    }

    /// <summary>
    /// A function whose decorators cannot replace what it returns (none, or <c>staticmethod</c>, <c>classmethod</c>, a
    /// cache).
    /// </summary>
    private static bool KeepsItsReturns(FunctionInfo function) =>
        // A lambda: bound to a name, it is followed as that binding's value.
        function.Node is not LambdaExpr && function.Decorators.All(IsTransparentDecorator);

    private static bool IsTransparentDecorator(Expr decorator) =>
        (decorator is CallExpr call ? call.Func : decorator) switch
        {
            NameExpr name => name.Id is "staticmethod" or "classmethod" or "cache" or "lru_cache",
            AttributeExpr attribute => attribute.Attr is "cache" or "lru_cache",
            _ => false,
        };

    private Provenance Propagate(PropagatorModel propagator, CallExpr call, EvalContext context)
    {
        if (propagator.From == PropagatorSource.Argument && propagator.Argument is { } selector)
        {
            var argument = ArgumentFinder.Find(call, selector);
            return argument.Kind switch
            {
                ArgumentKind.Found when propagator.FetchesUrls && RemoteUrl(argument.Value!, context) is { } url => Downloaded(url),
                ArgumentKind.Found when propagator.Opens => OpenedFile(argument.Value!, Evaluate(argument.Value!, context), context),
                ArgumentKind.Found => Evaluate(argument.Value!, context),
                ArgumentKind.Missing => Provenance.Program("a literal"),
                _ => Provenance.Unknown($"unpacked arguments of '{Text(call, context)}'"),
            };
        }
        return JoinAll(call.Args.Concat(call.Keywords.Select(k => k.Value)), context, "a literal");
    }

    /// <summary>The literal remote URL <paramref name="expr"/> names (<see cref="RemoteUrls"/>), following a name bound once.</summary>
    internal string? RemoteUrl(Expr expr, EvalContext context) =>
        RemoteUrls.Of(expr, name => _resolver.ReachingBindings(name.Id, context) is [{ Kind: BindingKind.Assignment, Value: { } value }] ? value : null);

    internal static Provenance Downloaded(string url) => Provenance.Unknown($"the content downloaded from '{url}'");

    /// <summary>
    /// The file an opener reads (<c>open("/srv/state.pkl", "rb")</c>): named by its literal path, or by what it is opened
    /// from (a path or a descriptor) when the program does not control that.
    /// </summary>
    private Provenance OpenedFile(Expr path, Provenance pathProvenance, EvalContext context)
    {
        if (!pathProvenance.IsProgramControlled)
        {
            return Provenance.Unknown($"the file opened from {pathProvenance.Description}");
        }
        if (path is not ConstantExpr)
        {
            return Provenance.Program("a file at a path the program builds from literals");
        }
        if (WorkingDirectory.IsRelativeLiteral(path))
        {
            foreach (var directory in WorkingDirectory.ChangedTo(context.Scope, _resolver))
            {
                if (Evaluate(directory, context) is { IsProgramControlled: false } moved)
                {
                    return Provenance.Unknown($"the file at the relative path {Text(path, context)} in the working directory `os.chdir` set to {moved.Description}");
                }
            }
        }
        return Provenance.Program($"the file at the literal path {Text(path, context)}");
    }

    /// <summary>
    /// A sink as its finding names it: the API path, or for a method a project subclass inherits from the library class
    /// (<c>pickle.Unpickler().load</c> on <c>class Overriding(pickle.Unpickler)</c> in <c>app</c>) the subclass,
    /// <c>app.Overriding().load</c>, which is where the reader has to look.
    /// </summary>
    internal static string Display(ApiValue api)
    {
        var call = api.Path.LastIndexOf(ApiPath.CallMarker + ".", StringComparison.Ordinal);
        return api.ViaClass is { } subclass && call > 0
            ? $"{subclass.DefiningScope.Module.Name}.{subclass.Name}{api.Path[call..]}"
            : Display(api.Path);
    }

    internal static string Display(string apiPath) => apiPath.StartsWith("builtins.", StringComparison.Ordinal) ? apiPath["builtins.".Length..] : apiPath;

    internal static string Text(Node node, EvalContext context)
    {
        var text = context.Module.Source.Text;
        var span = node.Span;
        if (span.Start < 0 || span.End > text.Length)
        {
            return "?";
        }
        var slice = text.Substring(span.Start, span.Length).ReplaceLineEndings(" ");
        return slice.Length <= MaxDescription ? slice : slice[..(MaxDescription - 3)] + "...";
    }
}
