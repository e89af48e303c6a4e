using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

public sealed partial class ValueResolver
{
    private IReadOnlyList<SymbolicValue> ResolveCall(CallExpr call, EvalContext context)
    {
        var result = new ValueSet();
        // `DECODERS.get(fmt, json.loads)`: a value of the table, or the default.
        if (call.Func is AttributeExpr { Attr: "get", Value: NameExpr or AttributeExpr } && call.Args.Count is 1 or 2
            && call.Args[0] is not StarredExpr
            && NamedTableValues(((AttributeExpr)call.Func).Value, call.Args[0] as ConstantExpr, context) is { Count: > 0 } values)
        {
            result.Add(values);
            if (call.Args.Count == 2)
            {
                result.Add(Resolve(call.Args[1], context));
            }
            return result.Result;
        }
        var callees = Resolve(call.Func, context);
        for (var i = 0; i < callees.Count; i++)
        {
            var callee = callees[i];
            switch (callee)
            {
                case ApiValue { Path: "builtins.getattr" }:
                    result.Add(ResolveGetattr(call, context));
                    break;
                case ApiValue { Path: "builtins.__import__" }:
                    if (ConstantArgument(call, 0, "name") is { } imported)
                    {
                        // __import__("a.b") returns the top package unless a fromlist is given.
                        var withFromList = call.Args.Count >= 4 || call.Keywords.Any(k => k.Arg == "fromlist");
                        result.Add(ResolveQualified(withFromList ? imported : imported.Split('.')[0]));
                    }
                    break;
                case ApiValue { Path: "importlib.import_module" }:
                    AddImportedModules(ref result, ModuleNames(call, context));
                    break;
                case ApiValue { Path: "builtins.super" } when call.Args.Count == 0:
                    result.Add(ResolveSuper(context));
                    break;
                case ApiValue { Path: "builtins.staticmethod" or "builtins.classmethod" or "contextlib.closing" } when call.Args.Count == 1:
                    // `decode = staticmethod(pickle.loads)` is the wrapped callable; `closing(conn)` is `conn`.
                    result.Add(Resolve(call.Args[0], context));
                    break;
                case ApiValue { Path: "functools.partial" or "funcy.partial" } when call.Args is [not StarredExpr]:
                    // funcy's `partial` binds as functools' does (bark's `funcy.partial(_load_model, model_type=...)`).
                    // `partial(pickle.loads)` binds nothing: calling it is calling pickle.loads with the same arguments.
                    // Bound keywords (`partial(pickle.loads, encoding="latin1")`) are the call's too: the API keeps the
                    // partial to read them (a partial of a partial with keywords stays a partial object).
                    foreach (var wrapped in Resolve(call.Args[0], context))
                    {
                        if (call.Keywords.Count > 0 && wrapped is ApiValue { Partial: null } api)
                        {
                            result.Add(api with { Partial = call });
                        }
                        else if (call.Keywords.Count > 0 && wrapped is ApiValue)
                        {
                            result.Add(CallResult(callee, call));
                        }
                        else
                        {
                            result.Add(wrapped);
                        }
                    }
                    break;
                case ApiValue { Path: "functools.partial" or "funcy.partial" } when call.Args.Count > 1 && !call.Args.Any(a => a is StarredExpr):
                    // `partial(handle, prefix)`: a call of it is a call of the project function after the bound arguments.
                    foreach (var wrapped in Resolve(call.Args[0], context))
                    {
                        if (wrapped is FunctionValue function)
                        {
                            result.Add(function with { BoundPositionals = function.BoundPositionals + call.Args.Count - 1 });
                        }
                        else
                        {
                            result.Add(CallResult(callee, call));
                        }
                    }
                    break;
                case FunctionValue { BoundTo: null, BoundPositionals: 0 } helper when ModulesImportedAt(helper.Function, call, context, -1) is { } modules:
                    result.Add(modules);
                    break;
                case FunctionValue { BoundTo: null, BoundPositionals: 0 } helper when EntriesPickedAt(helper.Function, call, context) is { } entries:
                    result.Add(entries);
                    break;
                case FunctionValue { BoundTo: null, BoundPositionals: 0 } helper when ObjectsMadeAt(helper.Function, call, context, -1) is { } made:
                    result.Add(made);
                    break;
                default:
                    result.Add(CallResult(callee, call));
                    break;
            }
        }
        return result.Result;
    }

    private static bool IsParameter(FunctionInfo function, string name) => function.Scope.BindingsOf(name) is [{ Kind: BindingKind.Parameter }];

    private bool ResolvesTo(Expr expr, EvalContext context, string path)
    {
        var values = Resolve(expr, context);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is ApiValue api && api.Path == path)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The modules <c>importlib.import_module</c> imports for these names (a relative name, with no package given, none).</summary>
    private void AddImportedModules(ref ValueSet result, IEnumerable<string> moduleNames)
    {
        foreach (var moduleName in moduleNames)
        {
            if (!moduleName.StartsWith('.'))
            {
                result.Add(ResolveQualified(moduleName));
            }
        }
    }

    /// <summary>The string constants <paramref name="expr"/> resolves to (a literal, a name bound to one, a parameter's default).</summary>
    private IEnumerable<string> StringConstants(Expr expr, EvalContext context) =>
        Resolve(expr, context).OfType<ConstantSymbol>().Select(c => c.Constant.Value.AsString).OfType<string>();

    /// <summary>Where the calls of <paramref name="function"/> pass its <paramref name="parameter"/>: by name, and by position for a plain function.</summary>
    private static ArgumentSelector PlainParameter(FunctionInfo function, string parameter) =>
        new(function.Owner is null && function.Arguments is { } arguments && IndexOf(arguments.Args, parameter) is >= 0 and var position ? position : null, parameter);

    /// <summary>What calling <paramref name="callee"/> at <paramref name="call"/> may return.</summary>
    public IReadOnlyList<SymbolicValue> CallResult(SymbolicValue callee, CallExpr call)
    {
        switch (callee)
        {
            case ApiValue api:
                return [api with { Path = api.Path + ApiPath.CallMarker, Constructor = api.Constructor ?? call }];
            case ClassValue cls:
                return [new InstanceValue(cls.Class, call)];
            case FunctionValue function:
                return ReturnValues(function.Function);
            default:
                return [];
        }
    }

    /// <summary>
    /// What <paramref name="function"/>'s <c>return</c> statements may give. When they give nothing known (a registry
    /// lookup, <c>return _REGISTRY[name]</c>) and the function is annotated to return an abstract project class
    /// (<c>-> AsyncConnectorBase</c>, flytekit's <c>get_connector</c>), an instance of it: one of its subclasses', as a
    /// parameter so annotated holds (<see cref="AnnotatedInstances"/>). Concrete classes stay unknown, as for parameters.
    /// </summary>
    private IReadOnlyList<SymbolicValue> ReturnValues(FunctionInfo function)
    {
        // Without the guard each recursive return doubled the work at every level, until the query's budget ran out.
        // What is resolved meanwhile may be cached, as under the bindings' guard: the recursive call adds nothing new.
        if (!_returnsInProgress.Add(function))
        {
            return [];
        }
        var result = new ValueSet();
        try
        {
            foreach (var (value, blocks) in function.Returns)
            {
                if (value is not null)
                {
                    result.Add(Resolve(value, new EvalContext(function.Scope, value.Span.Start, blocks)));
                }
            }
        }
        finally
        {
            _returnsInProgress.Remove(function);
        }
        // Only for a function that returns something: a stub's or an abstract method's annotation (`-> Pattern: ...`)
        // says what implementations return, which the taint engine follows through the overrides.
        return result.Result is { Count: 0 } && function.Returns.Length > 0 && function.ReturnAnnotation is { } annotation
            ? AnnotatedInstances(annotation, EvalContext.DeclarationOf(function))
            : result.Result;
    }

    /// <summary>
    /// Element <paramref name="index"/> of what <paramref name="call"/> returns, when it calls project functions only,
    /// whose returns are tuple or list displays (<c>sock, port = make()</c> with <c>return s, 1</c>, or either branch of
    /// <c>return (s, address) if return_address else s</c>); a return of anything else adds nothing. An item made from
    /// a library object the caller hands in is what <see cref="ObjectsMadeAt"/> makes of it. A call that may also be a
    /// library's (<c>conn, addr = listener.accept()</c> where the project holds a copy of <c>socket.py</c>) stays
    /// unknown, as the library's result is.
    /// </summary>
    private IReadOnlyList<SymbolicValue> ReturnedElements(CallExpr call, int index, EvalContext context)
    {
        var callees = Resolve(call.Func, context);
        if (!callees.All(callee => callee is FunctionValue))
        {
            return [];
        }
        var result = new ValueSet();
        foreach (var callee in callees)
        {
            if (callee is FunctionValue { BoundTo: null, BoundPositionals: 0, Function: var importing } && ModulesImportedAt(importing, call, context, index) is { } modules)
            {
                result.Add(modules); // `nib, _ = optional_import("nibabel")`
                continue;
            }
            if (callee is not FunctionValue { Function: var function } helper || !_returnsInProgress.Add(function))
            {
                continue;
            }
            var items = new ValueSet();
            try
            {
                foreach (var (value, blocks) in function.Returns)
                {
                    if (ReturnedAt(value, index, out var returned))
                    {
                        foreach (var item in returned)
                        {
                            items.Add(Resolve(item, new EvalContext(function.Scope, value!.Span.Start, blocks)));
                        }
                    }
                }
            }
            finally
            {
                _returnsInProgress.Remove(function);
            }
            result.Add(items.Result.Count == 0 && helper is { BoundTo: null, BoundPositionals: 0 } && ObjectsMadeAt(function, call, context, index) is { } made
                ? made
                : items.Result);
        }
        return result.Result;
    }

    private IReadOnlyList<SymbolicValue> ResolveGetattr(CallExpr call, EvalContext context)
    {
        if (call.Args.Count < 2 || call.Args[0] is StarredExpr || call.Args[1] is StarredExpr || AttributeNames(call.Args[1], context) is not { Count: > 0 } attributes)
        {
            return [];
        }
        // Resolved in the order the lazy sequence this was did: the object, the default, then members until full.
        var owners = Resolve(call.Args[0], context);
        var fallback = call.Args.Count >= 3 ? Resolve(call.Args[2], context) : [];
        var values = new ValueSet();
        foreach (var attribute in attributes)
        {
            for (var i = 0; i < owners.Count && !values.Full; i++)
            {
                values.Add(Member(owners[i], attribute));
            }
        }
        values.Add(fallback);
        return values.Result;
    }

    /// <summary>
    /// The names <c>getattr</c>'s second argument may be: a literal, a literal picked from a dict display of literals
    /// (<c>getattr(pd, {"csv": "read_csv", "pickle": "read_pickle"}[ext])</c>, BentoML's pandas reader), or what the
    /// argument resolves to among string constants (a name bound to a literal).
    /// </summary>
    private List<string> AttributeNames(Expr argument, EvalContext context)
    {
        if (argument is ConstantExpr { Value.AsString: { } literal })
        {
            return [literal];
        }
        if (argument is SubscriptExpr { Value: DictExpr table })
        {
            var picked = new List<string>();
            foreach (var value in table.Values)
            {
                if (value is not ConstantExpr { Value.AsString: { } name })
                {
                    return []; // one value is no literal: the table names something unknown
                }
                picked.Add(name);
            }
            return picked;
        }
        return [.. StringConstants(argument, context)];
    }

    /// <summary>
    /// <c>super()</c> inside a method: the bases of the method's class, seen from an instance of that class
    /// (<c>super().load()</c> in a <c>pickle.Unpickler</c> subclass is <c>pickle.Unpickler().load</c>).
    /// </summary>
    private IReadOnlyList<SymbolicValue> ResolveSuper(EvalContext context)
    {
        for (var scope = context.Scope; scope is not null; scope = scope.Parent)
        {
            if (scope.Kind != ScopeKind.Function || !context.Module.Functions.TryGetValue(scope.Node, out var function))
            {
                continue;
            }
            if (function.Owner is not { } owner)
            {
                continue;
            }
            var result = new ValueSet();
            var bases = Bases(owner);
            for (var i = 0; i < bases.Count; i++)
            {
                switch (bases[i])
                {
                    case ClassValue baseClass:
                        result.Add(new InstanceValue(baseClass.Class, null));
                        break;
                    case ApiValue api:
                        result.Add(new ApiValue(api.Path + ApiPath.CallMarker, null, owner));
                        break;
                }
            }
            return result.Result;
        }
        return [];
    }

    /// <summary>
    /// <c>sys.modules["pickle"]</c> is the module of that name; <c>DECODERS[fmt]</c> on a name bound to a dict display
    /// is a value of it (<see cref="TableValues"/>).
    /// </summary>
    private IReadOnlyList<SymbolicValue> ResolveSubscript(SubscriptExpr subscript, EvalContext context)
    {
        if (subscript.Value is NameExpr table && TableValues(table.Id, subscript.Slice as ConstantExpr, context) is { Count: > 0 } values)
        {
            return values;
        }
        if (subscript.Value is AttributeExpr { Value: NameExpr receiver } held && ClassTableValues(held.Attr, receiver, subscript.Slice as ConstantExpr, context) is { Count: > 0 } classValues)
        {
            return classValues;
        }
        if (subscript.Value is AttributeExpr imported && ModuleTableValues(imported, subscript.Slice as ConstantExpr, context) is { Count: > 0 } moduleValues)
        {
            return moduleValues;
        }
        if (subscript.Value is DictExpr or ListExpr or TupleExpr)
        {
            // `{"json": json.loads, "pickle": pickle.loads}[fmt]`: a table written in place.
            var entries = new ValueSet();
            AddDisplayValues(ref entries, subscript.Value, subscript.Slice as ConstantExpr, context);
            return entries.Result;
        }
        var container = Resolve(subscript.Value, context);
        if (subscript.Slice is ConstantExpr { Value.AsString: { } moduleName } && container.Any(v => v is ApiValue { Path: "sys.modules" }))
        {
            return ResolveQualified(moduleName);
        }
        return ItemsOf(container);
    }

    /// <summary>
    /// An item of a library object is what its <c>__getitem__</c> returns, under any key: Django's
    /// <c>caches["read-cache"]</c> is <c>django.core.cache.caches.__getitem__()</c>, a cache backend as the default
    /// <c>cache</c> is. Nothing for anything else (what a project container holds is the tables' business, above).
    /// </summary>
    private static IReadOnlyList<SymbolicValue> ItemsOf(IReadOnlyList<SymbolicValue> container)
    {
        List<SymbolicValue>? items = null;
        foreach (var value in container)
        {
            if (value is ApiValue { Path: not ['<', ..] } api)
            {
                (items ??= []).Add(api with { Path = api.Path + ".__getitem__()" });
            }
        }
        return items ?? (IReadOnlyList<SymbolicValue>)[];
    }

    /// <summary>
    /// A dispatch table (<c>DECODERS = {"json": json.loads, "pickle": pickle.loads}</c>): what <c>DECODERS[key]</c> or
    /// <c>DECODERS.get(key)</c> may give — the value under a constant key, else every value of every dict display the
    /// name is bound to here; for a list or tuple display, any element. Only the entries that name something (a
    /// function, a class, an API) count, and only displays of at most <see cref="MaxTableEntries"/>: tables of data
    /// (test cases, constants) are read often and say nothing of what is called. Entries added later in the module
    /// (<c>DECODERS["yaml"] = yaml.load</c>, anywhere the name is the same variable) count too, under their key.
    /// </summary>
    private IReadOnlyList<SymbolicValue> TableValues(string table, ConstantExpr? key, EvalContext context, int reexports = 0)
    {
        var imported = MayBeTable(table, context.Scope) ? null : ImportedTable(table, context, reexports);
        if (imported is null && !MayBeTable(table, context.Scope))
        {
            return [];
        }
        var result = new ValueSet();
        if (context.Scope.Module.TableEntries.GetValueOrDefault(table) is { } entries)
        {
            var tableScope = context.Scope.ScopeBinding(table);
            foreach (var entry in entries)
            {
                var entryKey = ((SubscriptExpr)entry.Node).Slice as ConstantExpr;
                if ((key is null || entryKey is null || SameConstant(entryKey.Value, key.Value))
                    && entry.Scope.ScopeBinding(table) == tableScope)
                {
                    result.Add(Resolve(entry.Value!, EvalContext.Of(entry)));
                    if (tableScope?.Kind == ScopeKind.Module)
                    {
                        result.Add(RegisteredFunctions(entry));
                    }
                }
            }
        }
        if (imported is var (module, name))
        {
            // The importing module's own entries are added above: the table is the one object both modules see.
            result.Add(TableValues(name, key, EvalContext.EndOf(module.ModuleScope), reexports + 1));
            return result.Result;
        }
        var bindings = ReachingBindings(table, context);
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i] is { Kind: BindingKind.Assignment, Value: { } display })
            {
                AddDisplayValues(ref result, display, key, EvalContext.Of(bindings[i]));
            }
        }
        return result.Result;
    }

    /// <summary>
    /// <c>_loaders[kind] = func</c> in a decorator (<c>def register(kind): def wrapper(func): _loaders[kind] = func;
    /// return func; return wrapper</c>) on a module's table stores the functions it decorates (not a table local to a
    /// decorator: <c>functools.singledispatch</c>'s registry made every such function a callee of its wrapper, 5 % of
    /// the stdlib's scan): every project function written under
    /// <c>@register(...)</c>, or under <c>@wrapper</c> for a decorator taking no arguments (metaflow's data transferer,
    /// whose socket loader is only called through such a table). Nothing for any other entry.
    /// </summary>
    private IReadOnlyList<SymbolicValue> RegisteredFunctions(Binding entry)
    {
        if (entry.Value is not NameExpr stored || !entry.Scope.Module.Functions.TryGetValue(entry.Scope.Node, out var decorator)
            || decorator.Arguments is not { Args: [var first, ..] } || first.ArgValue != stored.Id)
        {
            return [];
        }
        if (_registered.TryGetValue(decorator, out var cached))
        {
            return cached;
        }
        // The factory returning the decorator, when there is one: its calls are what decorates.
        var factory = decorator.Scope.Parent is { } parent && parent.Module.Functions.TryGetValue(parent.Node, out var outer)
            && outer.Returns.Any(r => r.Value is NameExpr { Id: var returned } && returned == decorator.Name) ? outer : null;
        var registered = new ValueSet();
        foreach (var (function, written) in DecoratedBy(factory).Concat(DecoratedBy(decorator)))
        {
            var (named, wanted) = written is CallExpr call ? (call.Func, factory) : (written, decorator);
            if (wanted is not null && ProjectModel.TrailingName(named) == wanted.Name
                && Resolve(named, EvalContext.DeclarationOf(function)).Any(v => v is FunctionValue f && f.Function == wanted))
            {
                registered.Add([new FunctionValue(function, null)]);
            }
        }
        return _registered[decorator] = registered.Result;
    }

    private IReadOnlyList<(FunctionInfo Function, Expr Decorator)> DecoratedBy(FunctionInfo? decorator) =>
        decorator is null ? [] : _project.DecoratedByName(decorator.Name);

    /// <summary>
    /// <c>self._BACKEND_MAP[fmt]</c> in a method, the class body binding <c>_BACKEND_MAP = {"torchscript":
    /// TorchScriptBackend, ...}</c> (ultralytics' <c>AutoBackend</c>): a table as <see cref="TableValues"/> reads one,
    /// and so is a display the methods store through <c>self</c>, with the project objects they append to it
    /// (<see cref="AppendedObjects"/>); any other store through <c>self</c> may put anything there.
    /// </summary>
    private IReadOnlyList<SymbolicValue>? ClassTableValues(string attribute, NameExpr receiver, ConstantExpr? key, EvalContext context)
    {
        if (context.Scope.BindingsOf(receiver.Id) is not [{ SelfOf: { } owner }])
        {
            return null;
        }
        var result = new ValueSet();
        // `self.handlers = {"ping": self.ping, ...}` in a method (dask's `Server`): a table too, when every store of
        // the attribute through `self` is such a display (entries added by `update` are not known, as in any table).
        if (owner.InstanceAttributes.TryGetValue(attribute, out var stores))
        {
            foreach (var store in stores)
            {
                if (store is not { Kind: BindingKind.Assignment, Value: DictExpr or ListExpr or TupleExpr or ListCompExpr })
                {
                    return null;
                }
                AddDisplayValues(ref result, store.Value, key, EvalContext.Of(store));
            }
            result.Add(AppendedObjects(owner, attribute));
        }
        var bindings = owner.BodyScope.BindingsOf(attribute);
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i] is { Kind: BindingKind.Assignment, Value: DictExpr or ListExpr or TupleExpr } table)
            {
                AddDisplayValues(ref result, table.Value, key, EvalContext.Of(table));
            }
        }
        return result.Result;
    }

    /// <summary>
    /// What a dict, list or tuple display <paramref name="display"/> gives under <paramref name="key"/>: the entries
    /// that name something, under a matching key (every one for a key that is no constant), any element of a sequence
    /// (<c>[pickle.loads, json.loads][i]</c>: an index is not worth pairing), the project objects a list comprehension
    /// makes; nothing for another expression.
    /// </summary>
    private void AddDisplayValues(ref ValueSet result, Expr display, ConstantExpr? key, EvalContext context)
    {
        switch (display)
        {
            case DictCompExpr { Value: NameExpr element, Generators: [{ Target: NameExpr each, Iter: CallExpr { Func: AttributeExpr { Attr: "values", Value: NameExpr table }, Args.Count: 0 } }] }
                when element.Id == each.Id:
                // `{s.serializer_id: s for s in SERIALIZERS.values()}` (Pyro5's serializers_by_id): re-keyed, the same values.
                result.Add(TableValues(table.Id, null, context));
                break;
            case DictExpr { Keys.Count: <= MaxTableEntries } dict:
                for (var i = 0; i < dict.Keys.Count; i++)
                {
                    if (dict.Keys[i] is null)
                    {
                        // `{**DEFAULT_HOOKS}`: a copy of a table (per instance) holds its entries.
                        result.Add(NamedTableValues(dict.Values[i], key, context));
                        continue;
                    }
                    var matches = key is null || dict.Keys[i] is ConstantExpr entry && SameConstant(entry.Value, key.Value);
                    if (matches && IsReference(dict.Values[i]))
                    {
                        result.Add(Resolve(dict.Values[i], context));
                    }
                }
                break;
            case ListExpr or TupleExpr:
                var elements = display is ListExpr list ? list.Elts : ((TupleExpr)display).Elts;
                if (elements.Count <= MaxTableEntries)
                {
                    for (var i = 0; i < elements.Count; i++)
                    {
                        if (IsReference(elements[i]))
                        {
                            result.Add(Resolve(elements[i], context));
                        }
                    }
                }
                break;
            case ListCompExpr { Elt: CallExpr { Func: NameExpr or AttributeExpr } made } comprehension when !NamesTarget(made.Func, comprehension.Generators):
                // `[_Host(s) for s in servers]` (python-memcached's buckets): each item an object of the class made there.
                AddObjects(ref result, Resolve(made, context));
                break;
        }
    }

    /// <summary>Whether <paramref name="expr"/> reads a name the comprehension's loops bind (resolved outside it, that name is another).</summary>
    private static bool NamesTarget(Expr expr, IReadOnlyList<Comprehension> generators)
    {
        var names = Detection.NameCollector.Of(expr);
        foreach (var generator in generators)
        {
            if (Detection.NameCollector.Of(generator.Target).Overlaps(names))
            {
                return true;
            }
        }
        return false;
    }

    private const int MaxTableEntries = 64;

    /// <summary>An entry that names something, or makes it in place (<c>{"marshal": MarshalSerializer()}</c>: an instance).</summary>
    private static bool IsReference(Expr value) => value is NameExpr or AttributeExpr or CallExpr { Func: NameExpr or AttributeExpr };

    /// <summary>
    /// Whether the scope that binds <paramref name="name"/> binds it to some dict, list or tuple display (or a dict
    /// comprehension re-keying one, or a list comprehension): a cheap test
    /// before the reaching bindings are worked out (most subscripts are of data).
    /// </summary>
    private static bool MayBeTable(string name, Scope scope)
    {
        var bindings = scope.ScopeBinding(name)?.BindingsOf(name) ?? [];
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i] is { Kind: BindingKind.Assignment, Value: DictExpr or ListExpr or TupleExpr or DictCompExpr or ListCompExpr })
            {
                return true;
            }
        }
        return false;
    }

    private static bool SameConstant(ConstantValue a, ConstantValue b) => a.Type == b.Type && a.Type switch
    {
        ConstantType.Str => a.AsString == b.AsString,
        ConstantType.Int => a.AsInteger == b.AsInteger,
        ConstantType.Bytes => a.AsBytes.AsSpan().SequenceEqual(b.AsBytes),
        ConstantType.True or ConstantType.False or ConstantType.None => true,
        _ => false,
    };

    /// <summary>
    /// The module names <c>import_module(name)</c> may import: the literal given, or the string constants the argument
    /// resolves to (a name bound to one, a parameter's default: <c>def load(f, backend="pickle")</c>).
    /// </summary>
    private IEnumerable<string> ModuleNames(CallExpr call, EvalContext context)
    {
        if (ConstantArgument(call, 0, "name") is { } literal)
        {
            return [literal];
        }
        var argument = call.Keywords.FirstOrDefault(k => k.Arg == "name")?.Value ?? (call.Args is [var first, ..] && first is not StarredExpr ? first : null);
        if (argument is null)
        {
            return [];
        }
        var names = StringConstants(argument, context);
        return argument is NameExpr parameter && context.Scope.BindingsOf(parameter.Id) is [{ Kind: BindingKind.Parameter }]
            && context.Scope.Module.Functions.TryGetValue(context.Scope.Node, out var function)
            ? names.Concat(PassedLiterals(function, parameter.Id))
            : names;
    }

    /// <summary>
    /// The string literals the project's calls of the plain function <paramref name="function"/> pass for its parameter
    /// <paramref name="parameter"/> (or constants they name): mlrun's <c>unpickle(path, pickle_module_name)</c>, called as
    /// <c>unpickle(path, "cloudpickle")</c>, imports that module by name. Asked only for a module name
    /// <c>importlib.import_module</c> is given (the project's calls by the function's name, kept per parameter).
    /// </summary>
    private List<string> PassedLiterals(FunctionInfo function, string parameter)
    {
        if (_passedLiterals.TryGetValue((function, parameter), out var cached))
        {
            return cached;
        }
        var literals = new List<string>();
        _passedLiterals[(function, parameter)] = literals; // first: a call inside the function itself adds nothing new
        var selector = PlainParameter(function, parameter);
        foreach (var module in _project.Modules)
        {
            if (!ModuleText.MayName(module, function.Name))
            {
                continue;
            }
            foreach (var site in module.CallsNamed(function.Name))
            {
                var call = site.Call;
                if (call.Func is not NameExpr)
                {
                    continue; // called by its plain name only
                }
                var passed = Detection.ArgumentFinder.Find(call, selector).Value;
                var callContext = new EvalContext(site.Scope, call.Span.Start, site.Blocks);
                if (passed is null || !Resolve(call.Func, callContext).Any(v => v is FunctionValue { BoundTo: null } f && f.Function == function))
                {
                    continue;
                }
                foreach (var literal in StringConstants(passed, callContext))
                {
                    if (!literals.Contains(literal))
                    {
                        literals.Add(literal);
                    }
                }
            }
        }
        return literals;
    }

    private static int IndexOf(IReadOnlyList<Arg> parameters, string name)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].ArgValue == name)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The string constant passed at <paramref name="position"/> or as <paramref name="keyword"/>, else null.</summary>
    public static string? ConstantArgument(CallExpr call, int position, string keyword)
    {
        // Loops, not LINQ: the detectors ask this of many calls, and a lambda capturing the keyword is a closure each time.
        for (var i = 0; i < call.Keywords.Count; i++)
        {
            if (call.Keywords[i].Arg == keyword)
            {
                return call.Keywords[i].Value is ConstantExpr { Value.AsString: { } named } ? named : null;
            }
        }
        if (call.Args.Count <= position)
        {
            return null;
        }
        for (var i = 0; i <= position; i++)
        {
            if (call.Args[i] is StarredExpr)
            {
                return null;
            }
        }
        return call.Args[position] is ConstantExpr { Value.AsString: { } text } ? text : null;
    }
}
