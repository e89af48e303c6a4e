using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    private TaintValue Eval(Expr expr)
    {
        if (OverBudget())
        {
            return TaintValue.Clean;
        }
        switch (expr)
        {
            case ConstantExpr or LambdaExpr:
                return TaintValue.Clean;
            case CompareExpr compare:
                return EvalComparison(compare);
            case NameExpr name:
                return EvalName(name);
            case AttributeExpr attribute:
                return EvalAttribute(attribute);
            case SubscriptExpr subscript:
                return EvalSubscript(subscript);
            case CallExpr call:
                return EvalCall(call);
            case BinOpExpr binary:
                return Eval(binary.Left).Join(Eval(binary.Right));
            case BoolOpExpr boolean:
                return JoinAll(boolean.Values);
            case UnaryOpExpr unary:
                Eval(unary.Operand);
                return TaintValue.Clean; // not, -, + and ~ yield booleans and numbers
            case IfExpr conditional:
                var truth = ConstantTruth(conditional.Test);
                if (truth is null)
                {
                    Eval(conditional.Test); // it runs too (a sink in it decodes), though its value is not the result
                }
                return truth switch
                {
                    true => Eval(conditional.Body),
                    false => Eval(conditional.Orelse),
                    _ => Eval(conditional.Body).Join(Eval(conditional.Orelse)),
                };
            case JoinedStrExpr joined:
                return JoinAll(joined.Values);
            case TemplateStrExpr template:
                return JoinAll(template.Values);
            case FormattedValueExpr formatted:
                return Eval(formatted.Value);
            case InterpolationExpr interpolation:
                return Eval(interpolation.Value);
            case TupleExpr tuple:
                return JoinAll(tuple.Elts);
            case ListExpr list:
                return JoinAll(list.Elts);
            case SetExpr set:
                return JoinAll(set.Elts);
            case DictExpr dict:
                return JoinAll(dict.Values);
            case StarredExpr starred:
                return Eval(starred.Value);
            case NamedExpr named:
                var value = Eval(named.Value);
                Assign(named.Target, named.Value, value);
                return value;
            case AwaitExpr awaited:
                return Eval(awaited.Value);
            case YieldExpr yielded:
                if (yielded.Value is TupleExpr yieldedTuple && _unit.YieldArity == yieldedTuple.Elts.Count)
                {
                    ReturnTuple(yieldedTuple, yielded, "yielded");
                }
                else if (yielded.Value is not null)
                {
                    Return(Eval(yielded.Value), yielded, "yielded");
                }
                return TaintValue.Clean;
            case YieldFromExpr yieldFrom:
                Return(Eval(yieldFrom.Value), yieldFrom, "yielded");
                return TaintValue.Clean;
            case ListCompExpr comprehension:
                return EvalComprehension(comprehension.Generators, [comprehension.Elt]);
            case SetCompExpr comprehension:
                return EvalComprehension(comprehension.Generators, [comprehension.Elt]);
            case GeneratorExpr comprehension:
                return EvalComprehension(comprehension.Generators, [comprehension.Elt]);
            case DictCompExpr comprehension:
                return EvalComprehension(comprehension.Generators, [comprehension.Value]);
            case SliceExpr slice:
                JoinAll([slice.Lower, slice.Upper, slice.Step]);
                return TaintValue.Clean; // bounds select, they do not carry data
            default:
                return TaintValue.Clean;
        }
    }

    /// <summary>Indexed, not <c>foreach</c>: enumerating an <see cref="IReadOnlyList{T}"/> allocates an enumerator per expression.</summary>
    private TaintValue JoinAll(IReadOnlyList<Expr?> exprs)
    {
        var result = TaintValue.Clean;
        for (var i = 0; i < exprs.Count; i++)
        {
            if (exprs[i] is { } expr)
            {
                result = result.Join(Eval(expr));
            }
        }
        return result;
    }

    /// <summary>A comprehension runs in its own scope: targets are bound in a copy of the state.</summary>
    private TaintValue EvalComprehension(IReadOnlyList<Comprehension> generators, IReadOnlyList<Expr> elements)
    {
        var saved = _state;
        _state = _state.Copy();
        for (var i = 0; i < generators.Count; i++)
        {
            var generator = generators[i];
            Assign(generator.Target, null, Eval(generator.Iter));
            for (var j = 0; j < generator.Ifs.Count; j++)
            {
                var condition = generator.Ifs[j];
                Eval(condition);
            }
        }
        var result = JoinAll(elements);
        _state = saved;
        return result;
    }

    private TaintValue EvalName(NameExpr name)
    {
        if (_state.TryGet(name.Id, out var local))
        {
            return local.All();
        }
        if (_program.SourceOf(name, _unit.Scope) is { } source)
        {
            return SourceTaint(source.Model.Kind, source.Name, name);
        }
        if (SelfClass(name) is { } handler && _program.Index.HandlerSourceOf(handler, _program.Resolver) is { } handlerSource)
        {
            return HandlerTaint(name, handler, handlerSource);
        }
        if (IsLocal(name.Id))
        {
            return TaintValue.Clean; // assigned later in the body (or only on another path)
        }
        for (var scope = _unit.Scope.IsGlobal(name.Id) ? _module.ModuleScope : _unit.Scope.Parent; scope is not null; scope = scope.Parent)
        {
            if (scope.Kind != Semantic.ScopeKind.Class && scope.Binds(name.Id))
            {
                var outer = _program.ReadGlobal(new GlobalKey(scope, name.Id)).Join(ImportedVariable(scope, name.Id));
                return outer.IsClean ? outer : outer.Step(_module, name.Span.Start, $"reads '{name.Id}' from the enclosing scope");
            }
        }
        return TaintValue.Clean;
    }

    /// <summary>
    /// <c>self</c> of a request handler used as a value (<c>run(self)</c> in <c>do_GET</c>): the client's data in the
    /// attributes the handler's library base reads it into, as a view's <c>request</c> object (ProjectIndex.Handlers.cs).
    /// </summary>
    private TaintValue HandlerTaint(NameExpr name, Semantic.ClassInfo handler, HandlerSource source)
    {
        var message = $"source ({source.Kind}): the request handler '{name.Id}' of {handler.Name} (its {string.Join('/', source.Attributes.Take(3))}…)";
        return TaintValue.Of(new TaintOrigin(source.Kind, source.Base, -1, source.Attributes, null,
            TraceLink.Start(_module, name.Span.Start, message)));
    }

    private bool IsLocal(string name) =>
        _unit.Scope.Binds(name) && !_unit.Scope.IsGlobal(name) && !_unit.Scope.IsNonlocal(name) || _unit.Function is null;

    /// <param name="attributes">For a client object (<c>redis.Redis()</c>), the attributes of it that are data.</param>
    /// <param name="madeAs">The project subclass of the client class <paramref name="name"/> that was constructed, if any.</param>
    private TaintValue SourceTaint(string kind, string name, Node at, IReadOnlyList<string>? attributes = null, string? madeAs = null)
    {
        var client = attributes is { Count: > 0 };
        var made = madeAs is null ? $"{name}()" : $"{madeAs}(), a {name}";
        var message = client ? $"source ({kind}): {made} (a client: what its {string.Join('/', attributes!.Take(3))}… return)" : $"source ({kind}): {name}";
        return VerifiedIfChecked(TaintValue.Of(new TaintOrigin(kind, name, -1, client ? attributes : null, null, TraceLink.Start(_module, at.Span.Start, message))), at);
    }

    private TaintValue EvalAttribute(AttributeExpr attribute, bool checkSource = true)
    {
        if (checkSource && _program.SourceOf(attribute, _unit.Scope) is { } source)
        {
            return SourceTaint(source.Model.Kind, source.Name, attribute);
        }
        if (attribute.Value is NameExpr owner)
        {
            if (_state.TryGet(owner.Id, out var local))
            {
                if (local.TryGetAttribute(attribute.Attr, out var part))
                {
                    return part;
                }
                if (checkSource && (DataAttributeClass(owner, attribute.Attr) ?? CapturedReceiverClass(owner)) is { } dataClass)
                {
                    return DataAttributeOf(local, dataClass, attribute);
                }
                if (checkSource && EscapedDataAttributeClass(owner, attribute.Attr) is { } escapedClass)
                {
                    return AnyAttributeOf(local, attribute).Join(ClassWideFact(escapedClass, attribute));
                }
                if (checkSource && PropertyOfLocal(owner, attribute) is { } returned)
                {
                    return AnyAttributeOf(local, attribute).Join(returned);
                }
                if (checkSource && KeywordRecordClass(owner, attribute.Attr) is { } recordClass)
                {
                    return DataAttributeOf(local, recordClass, attribute);
                }
                if (checkSource && local.Parts is not null && KeepsStoresApart(owner, attribute.Attr))
                {
                    return AttributeOfUndescribedObject(local, attribute);
                }
            }
            if (SelfClass(owner) is { } cls)
            {
                return ReadInstanceAttribute(cls, attribute, owner.Id);
            }
            if (local is null && OuterAttribute(owner, attribute, checkSource) is { } outer)
            {
                return outer;
            }
        }
        // Not for a call's own callee (`job.config.fetch()`, checkSource false): a method of the held object is no
        // attribute its constructor stored, and the call's resolution decides what it returns.
        if (checkSource && attribute.Value is AttributeExpr { Value: NameExpr holderOwner } holder)
        {
            return ReadNestedAttribute(holderOwner, holder, attribute);
        }
        var value = Eval(attribute.Value);
        return value.IsClean ? value : ReadAttributeOf(value, attribute, read: checkSource);
    }

    /// <summary>
    /// The class of the object confined to this function (<see cref="ObjectConfinement"/>) that the local
    /// <paramref name="owner"/> holds, when <paramref name="attribute"/> is plain data on it
    /// (<see cref="ObjectConfinement.IsInstanceDataAttribute"/>); else null. Only a confined object: no code elsewhere
    /// can store into it, so its parts and the class-wide facts are all its attributes got.
    /// </summary>
    private Semantic.ClassInfo? DataAttributeClass(NameExpr owner, string attribute) =>
        _confined.TryGetValue(owner.Id, out var confined) && _program.Confinement.IsInstanceDataAttribute(confined, attribute) ? confined : null;

    /// <summary>
    /// The class of the enclosing method's receiver when <paramref name="owner"/> names it in a function nested there (a
    /// route closure's <c>self</c>), bound by nothing but that parameter; else null. What the closure stores through it
    /// (its parts) is no other attribute's: <c>self.timeout</c> after <c>self.request_buffer[uid] = request.form()</c>
    /// is what the method itself would read, the class-wide facts (litserve's <c>server.py</c>).
    /// </summary>
    private Semantic.ClassInfo? CapturedReceiverClass(NameExpr owner) =>
        _unit.Function is not null && _unit.Scope.ScopeBinding(owner.Id) is { } scope && scope != _unit.Scope
        && scope.BindingsOf(owner.Id) is [{ Kind: Semantic.BindingKind.Parameter, SelfOf: { } cls, SelfIsClass: false }]
            ? cls
            : null;

    /// <summary>
    /// A plain data attribute of a confined object that its parts do not have: none of the data stored under other
    /// attributes (<c>config = Config(request.data); config.name</c>, where <c>__init__</c> stored only <c>data</c>),
    /// only what the value held as a whole, what was stored in an object held in the attribute, and the attribute's
    /// class-wide facts (source data a method stores through <c>self</c> is one).
    /// </summary>
    private TaintValue DataAttributeOf(VarTaint local, Semantic.ClassInfo cls, AttributeExpr read)
    {
        var value = local.Whole.IsClean ? local.Whole : ReadAttributeOf(local.Whole, read);
        // What the constructor of an object held in the attribute stored in it (`.config.data`) is stored under its name.
        var nested = "." + read.Attr + ".";
        foreach (var (key, part) in local.Parts ?? VarTaint.NoParts)
        {
            if (key.StartsWith(nested, StringComparison.Ordinal))
            {
                value = value.Join(part);
            }
        }
        return value.Join(ClassWideFact(cls, read));
    }

    /// <summary>
    /// The class of the object the local <paramref name="owner"/> holds when it is a SQLAlchemy model made from keywords
    /// (<see cref="ProjectIndex.StoresKeywordsByName"/>) and <paramref name="attribute"/> is no method or property of the
    /// model's (its class or a project base defines none of that name: another class's <c>data</c> property runs no
    /// code on this object) and no class of the chain stores attributes by computed name: the attribute holds what its
    /// keyword or a later store gave it (the local's parts, the class-wide facts), not the other keywords' data. Else null.
    /// </summary>
    private Semantic.ClassInfo? KeywordRecordClass(NameExpr owner, string attribute) =>
        KeywordRecordOf(owner) is { } cls
        && !(_program.Index.IsMethodOrPropertyName(attribute) && _program.ClassAndBases(cls).Any(c => _program.Index.Defines(c, attribute)))
            ? cls
            : null;

    /// <summary>The class of the keyword record the local <paramref name="owner"/> holds (see <see cref="KeywordRecordClass"/>), else null.</summary>
    private Semantic.ClassInfo? KeywordRecordOf(NameExpr owner) =>
        _program.InstanceClassesOf(owner, _unit.Scope) is [var cls] && _program.Index.StoresKeywordsByName(cls) && !StoresByNameInChain(cls) ? cls : null;

    /// <summary>Whether <paramref name="cls"/> or a base stores attributes by computed name (<see cref="ObjectConfinement.StoresByName"/>).</summary>
    private bool StoresByNameInChain(Semantic.ClassInfo cls) => _program.ClassAndBases(cls).Any(ObjectConfinement.StoresByName);

    /// <summary>
    /// The local <paramref name="owner"/> makes an object that escapes this body (<see cref="TaintUnit.EscapingObjects"/>)
    /// and <paramref name="attribute"/> is plain data on it: its class, else null.
    /// </summary>
    private Semantic.ClassInfo? EscapedDataAttributeClass(NameExpr owner, string attribute) =>
        _unit.EscapingObjects is { } escaping && escaping.TryGetValue(owner.Id, out var cls) && _program.Confinement.IsInstanceDataAttribute(cls, attribute) ? cls : null;

    /// <summary>
    /// <c>incoming.payload</c> where the local holds an object this function makes of a class whose <c>payload</c> is a
    /// property: what the getter returns (its summary applied with the local as receiver), or null when the read is no
    /// such property (the index drew the edge to the getter from the construction: <see cref="ProjectIndex"/>, Properties).
    /// </summary>
    private TaintValue? PropertyOfLocal(NameExpr owner, AttributeExpr read)
    {
        if (_unit.PropertiesOfMadeObjects?.Contains(read.Attr) != true || SelfClass(owner) is not null)
        {
            return null;
        }
        TaintValue? result = null;
        foreach (var cls in _program.InstanceClassesOf(owner, _unit.Scope))
        {
            if (_program.Index.PropertyGetter(cls, read.Attr, _program.Resolver) is { } getter && _unit.Callees.Contains(getter))
            {
                result = (result ?? TaintValue.Clean).Join(ApplyGetter(getter, new Receiver(ReceiverKind.Local, owner.Id, _confined.ContainsKey(owner.Id)), read));
            }
        }
        return result;
    }

    /// <summary>
    /// <c>job.blob = data</c> where the local holds an object this function makes of a class whose <c>blob</c> is a
    /// property with a setter: the setter runs with the value (its summary applied with the local as receiver, so
    /// <c>self._blob = value</c> in it stores into the object), as <see cref="PropertyOfLocal"/> runs a getter.
    /// </summary>
    private void SetterOfLocal(NameExpr owner, string attribute, TaintValue stored)
    {
        if (stored.IsClean || _unit.PropertiesOfMadeObjects?.Contains(attribute) != true || SelfClass(owner) is not null)
        {
            return;
        }
        foreach (var cls in _program.InstanceClassesOf(owner, _unit.Scope))
        {
            if (_program.Index.PropertySetter(cls, attribute, _program.Resolver) is { } setter && _unit.Callees.Contains(setter))
            {
                // A call `owner.attribute(value)` in all but syntax: its one argument's taint is the stored value's.
                var store = new AttributeExpr(owner.Span, owner, attribute, ExprContext.Store);
                ApplySummary(setter, bound: true, new Receiver(ReceiverKind.Local, owner.Id, _confined.ContainsKey(owner.Id)),
                    new CallExpr(owner.Span, store, [owner], []), [stored], []);
            }
        }
    }

    /// <summary>
    /// Whether the local <paramref name="owner"/> holds an object no project class describes (an <c>argparse.Namespace</c>,
    /// a parameter of unknown type), whose attributes hold only what was stored under their names: not <c>self</c>, no
    /// instance of a project class as far as the resolver sees, and <paramref name="attribute"/> no name of a project
    /// property or method (the object may be such an instance after all, whose getter reads its other attributes).
    /// </summary>
    private bool KeepsStoresApart(NameExpr owner, string attribute) =>
        SelfClass(owner) is null && !_program.Index.IsMethodOrPropertyName(attribute) && _program.InstanceClassesOf(owner, _unit.Scope).Length == 0;

    /// <summary>
    /// An attribute of such an object that it has no part for (<see cref="KeepsStoresApart"/>): what the object holds as
    /// a whole and in its items, and what was stored under the same name with underscores before it (requests'
    /// <c>Response.content</c> reads <c>_content</c>), not what other attributes got (<c>args.resume</c> after
    /// <c>args.num_classes = fetch()</c>). A method call on it still takes everything (the call's callee is no read).
    /// </summary>
    private TaintValue AttributeOfUndescribedObject(VarTaint local, AttributeExpr read)
    {
        var value = local.WithoutAttributes();
        var name = read.Attr.AsSpan().TrimStart('_');
        foreach (var (key, part) in local.Parts ?? VarTaint.NoParts)
        {
            if (key.StartsWith('.') && StoredName(key).TrimStart('_').SequenceEqual(name))
            {
                value = value.Join(part);
            }
        }
        return value.IsClean ? value : ReadAttributeOf(value, read);
    }

    /// <summary>The attribute an attribute part is stored under: <c>config</c> of <c>.config</c> and of <c>.config.data</c>.</summary>
    private static ReadOnlySpan<char> StoredName(string key)
    {
        var name = key.AsSpan(1);
        return name.IndexOf('.') is var end and >= 0 ? name[..end] : name;
    }

    /// <summary>An attribute of a local read by the coarser rule: it may be anything the local holds, parts included.</summary>
    private TaintValue AnyAttributeOf(VarTaint local, AttributeExpr read)
    {
        var all = local.All();
        return all.IsClean ? all : ReadAttributeOf(all, read);
    }

    /// <summary>A property read runs its getter: the getter's summary applied with <paramref name="receiver"/> as its object.</summary>
    private TaintValue ApplyGetter(TaintUnit getter, Receiver receiver, AttributeExpr read) =>
        ApplySummary(getter, bound: true, receiver, new CallExpr(read.Span, read, [], []), [], []);

    /// <summary>
    /// The class-wide facts of <paramref name="attribute"/> (the attribute <paramref name="read"/> names, unless a path
    /// such as <c>config.data</c> is given) on <paramref name="cls"/>, its bases and its subclasses, with a step at the read.
    /// Data some object alone holds (<see cref="OriginKey.MadeAt"/>) keeps its construction only when read
    /// <paramref name="throughReceiver"/>, this method's own.
    /// </summary>
    private TaintValue ClassWideFact(Semantic.ClassInfo cls, AttributeExpr read, string? attribute = null, bool throughReceiver = false)
    {
        var fact = TaintValue.Clean;
        foreach (var definer in _program.ClassAndBases(cls))
        {
            fact = fact.Join(_program.ReadGlobal(new GlobalKey(definer, attribute ?? read.Attr)));
        }
        // Last, so that the chain's own traces come first: the object may be of a subclass, whose facts are its too.
        if (_program.Index.BaseClasses.Contains(cls))
        {
            fact = fact.Join(_program.ReadGlobal(_program.DescendantsKey(cls, attribute ?? read.Attr)));
        }
        if (fact.HasMadeAt && (!throughReceiver || !KeepsReceiverData))
        {
            fact = fact.Unmade();
        }
        return fact.IsClean ? fact : fact.Step(_module, read.Span.Start, StepText.Quoting("reads", read));
    }

    /// <summary>
    /// An attribute of tainted data: all of plain data, and only the tainted attributes of an object source
    /// (<c>request.GET</c>); one that makes another client (a Redis client's <c>pipeline</c>) gives that client, whose
    /// own reads are data (<c>execute</c>), not data itself. Data held in attributes of an object passed whole (<see cref="OriginKey.HeldIn"/>): what
    /// the attribute holds when <paramref name="read"/>, everything when it is a method called (<paramref name="read"/>
    /// false). The closure is made only for an object source (most values are plain data): apart, since a lambda
    /// capturing a parameter makes its closure on entry. A parameter's data notes the attribute read on its object
    /// (<see cref="OriginKey.ReadThrough"/>).
    /// </summary>
    private TaintValue ReadAttributeOf(TaintValue value, AttributeExpr attribute, bool read = true) =>
        value.IsPlainData && !value.HoldsFields ? value.Select(attribute.Attr, static (o, name) => o.ReadThroughAttribute(name))
            : ReadObjectAttribute(value, attribute, read);

    private TaintValue ReadObjectAttribute(TaintValue value, AttributeExpr attribute, bool read) =>
        value.Select(o => o.HeldIn is not null ? read ? ReadHeld(o, attribute.Attr) : o.Unheld()
            : o.Attributes is null ? o.ReadThroughAttribute(attribute.Attr)
            : o.Attributes.Contains(attribute.Attr)
                ? new TaintOrigin(o.Kind, o.Label + "." + attribute.Attr, o.Parameter, _program.Models.Taint.ClientMadeBy(attribute.Attr), o.Verified,
                    o.Trace.Then(_module, attribute.Span.Start, StepText.Quoting("reads", attribute)))
                : null);

    private TaintValue EvalSubscript(SubscriptExpr subscript)
    {
        if (Semantic.InstanceDictionary.Item(subscript) is { } item)
        {
            // `self.__dict__["data"]` is `self.data`, and what was put into the dictionary by other means (`update`).
            return EvalAttribute(new AttributeExpr(subscript.Span, item.Owner, item.Attribute, ExprContext.Load)).Join(Eval(subscript.Value).Data);
        }
        if (subscript is { Value: AttributeExpr { Attr: "session_state" } state, Slice: ConstantExpr { Value.AsString: { } widgetKey } }
            && _program.Index.WidgetState(state, widgetKey, _program.Resolver, _unit.Scope) is { } widget)
        {
            return SourceTaint(widget.Model.Kind, widget.Name, subscript); // `st.session_state["model_file"]`
        }
        if (ItemPath(subscript) is ({ } name, { } path) && _state.TryGet(name.Id, out var local))
        {
            return local.Part(path);
        }
        var key = ConstantKey(subscript.Slice);
        Eval(subscript.Slice);
        var held = Eval(subscript.Value);
        var container = held.IsPlainData || subscript.Value is not (NameExpr or AttributeExpr) ? held.Data : held.Data.Join(ClientItem(held, subscript));
        return key is not null && !container.IsClean && subscript.Value is CallExpr call && TaintedReturnedKeys(call) is { } tainted
            && !tainted.Contains(key) ? TaintValue.Clean : container;
    }

    /// <summary>
    /// <c>client[key]</c> on a client whose model lists <c>__getitem__</c> among its reads (redis-py's <c>Redis</c>: the
    /// item is <c>GET key</c>, walrus' <c>self.database[key]</c>): what the client returns, as for its other reads
    /// (<see cref="ReadObjectAttribute"/>). A client that does not list it (a pipeline, whose items are no replies) gives
    /// nothing; so does an item of a call's result (<c>wrapped("a", connection)[1]</c>: a list holding the client), the
    /// only case taken for a container rather than the client (a name holding a list of clients is not told apart).
    /// </summary>
    private TaintValue ClientItem(TaintValue client, SubscriptExpr item) =>
        client.Select(o => o.Attributes?.Contains(ItemRead) == true
            ? new TaintOrigin(o.Kind, o.Label + "." + ItemRead, o.Parameter, null, o.Verified, o.Trace.Then(_module, item.Span.Start, StepText.Quoting("reads", item)))
            : null);

    private const string ItemRead = "__getitem__";

    /// <summary>
    /// The keys under which the dicts <paramref name="call"/> returns may hold data, when every project function it can
    /// be returns dict displays with constant keys only (<see cref="TaintUnit.ReturnedKeys"/>); null for any other call.
    /// </summary>
    private HashSet<string>? TaintedReturnedKeys(CallExpr call) =>
        _program.Index.CallOf(_module, call) is { } info ? TaintedReturnedKeys(info) : null;

    private static HashSet<string>? TaintedReturnedKeys(CallInfo info)
    {
        if (info.Functions.IsEmpty || !info.Classes.IsEmpty || info.PassesThrough || info.Source is not null || info.Invoked is not null)
        {
            return null;
        }
        foreach (var (unit, _) in info.Functions)
        {
            if (unit.ReturnedKeys.Length == 0)
            {
                return null; // most calls: checked before any set is made
            }
        }
        var tainted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (unit, _) in info.Functions)
        {
            var keys = unit.ReturnedKeys;
            var bits = unit.Summary.TaintedReturnElements;
            for (var i = 0; i < keys.Length; i++)
            {
                if ((bits & (1UL << i)) != 0)
                {
                    tainted.Add(keys[i]);
                }
            }
        }
        return tainted;
    }

    /// <summary>
    /// <c>d = make(url)</c> where <c>make</c> returns dict displays (<see cref="TaintedReturnedKeys"/>): the keys no
    /// return puts data under become clean parts of <c>d</c>, so <c>d["name"]</c> reads nothing; any other key reads
    /// the whole value.
    /// </summary>
    private VarTaint WithCleanReturnedKeys(VarTaint held, CallExpr call)
    {
        if (_program.Index.CallOf(_module, call) is not { } info || TaintedReturnedKeys(info) is not { } tainted)
        {
            return held;
        }
        foreach (var (unit, _) in info.Functions)
        {
            foreach (var key in unit.ReturnedKeys)
            {
                if (!tainted.Contains(key))
                {
                    held = held.WithPart(key, TaintValue.Clean);
                }
            }
        }
        return held;
    }

    /// <summary>
    /// <c>d["a"]</c>, <c>d["a"]["b"]</c>: the name the items are taken from and the part key of the item
    /// (<see cref="VarTaint.NestedKey"/> for an item of an item), when every subscript is a constant; else nulls.
    /// </summary>
    private static (NameExpr? Name, string? Key) ItemPath(SubscriptExpr subscript)
    {
        if (ConstantKey(subscript.Slice) is not { } key)
        {
            return (null, null);
        }
        return subscript.Value switch
        {
            NameExpr name => (name, key),
            SubscriptExpr outer when ItemPath(outer) is ({ } name, { } outerKey) => (name, VarTaint.NestedKey(outerKey, key)),
            _ => (null, null),
        };
    }

    /// <summary>The part key of the item under the string <paramref name="key"/> (<c>d["a"]</c>).</summary>
    private static string StringKey(string key) => "[" + key + "]";

    /// <summary>The part key of a constant subscript (<c>["a"]</c>, <c>[0]</c>), else null.</summary>
    internal static string? ConstantKey(Expr slice) => slice switch
    {
        ConstantExpr { Value.Type: ConstantType.Str } c => StringKey(c.Value.AsString!),
        ConstantExpr { Value.Type: ConstantType.Int } c => "[#" + c.Value.AsInteger + "]",
        ConstantExpr { Value.Type: ConstantType.Bytes } c => "[b" + Convert.ToHexString(c.Value.AsBytes!) + "]",
        _ => null,
    };

    /// <summary>
    /// <c>cls</c> in a classmethod: <c>cls.connection = Redis()</c> (a test case's <c>setUpClass</c>) sets a class
    /// attribute that every instance reads as <c>self.connection</c>, as a store through <c>self</c> does.
    /// </summary>
    private Semantic.ClassInfo? OwnClassOfClassMethod(NameExpr name) =>
        _unit.IsClassMethod && _unit.Parameters.Length > 0 && _unit.Parameters[0].ArgValue == name.Id ? _unit.Function?.Owner : null;

    private Semantic.ClassInfo? SelfClass(NameExpr name)
    {
        if (!_unit.TakesReceiver || _unit.Parameters.Length == 0 || _unit.Parameters[0].ArgValue != name.Id || _unit.IsClassMethod)
        {
            return null;
        }
        return _unit.Function!.Owner;
    }

    /// <summary>
    /// <c>self.attribute</c> in a method: the class-wide facts of the class and its bases, plus the receiver-attribute
    /// origin (what the attribute holds on the object the method runs on, see FunctionAnalyzer.Receiver.cs).
    /// </summary>
    private TaintValue ReadInstanceAttribute(Semantic.ClassInfo cls, AttributeExpr read, string receiver)
    {
        var result = ClassWideFact(cls, read, throughReceiver: true);
        if (_program.Index.PropertyGetter(cls, read.Attr, _program.Resolver) is { } getter)
        {
            // `self.pool` of `@property def pool(self)`: the read runs the getter.
            result = result.Join(ApplyGetter(getter, ReceiverFor(new Receiver(ReceiverKind.Own, receiver, false), getter), read));
        }
        return result.Join(ReceiverAttribute(read.Attr, read.Span.Start, receiver)).Join(ViewReceiverData(cls, read));
    }

    /// <summary>
    /// <c>url, file = info(link)</c>: the elements (one bit each) that every project function the call can be leaves clean
    /// in the tuples it returns (<see cref="ReturnedTuples"/>); none for any other call, or a library one. With
    /// <paramref name="iterated"/>, <c>for name, body in items()</c>: the same for the tuples a generator yields.
    /// </summary>
    private ulong CleanReturnElements(Expr? valueExpr, int count, bool iterated = false)
    {
        if (valueExpr is not CallExpr call || count > ReturnedTuples.MaxArity || _program.Index.CallOf(_module, call) is not { } info
            || info.Functions.IsEmpty || !info.Classes.IsEmpty || info.PassesThrough || info.Source is not null || info.Invoked is not null)
        {
            return 0;
        }
        var tainted = 0UL;
        foreach (var (unit, _) in info.Functions)
        {
            if ((iterated ? unit.YieldArity : unit.ReturnArity) != count)
            {
                return 0;
            }
            tainted |= unit.Summary.TaintedReturnElements;
        }
        return ~tainted;
    }

    private void Assign(Expr target, Expr? valueExpr, TaintValue value)
    {
        switch (target)
        {
            case NameExpr name:
                var stepped = value.IsClean ? value : value.Step(_module, target.Span.Start, AssignedMessage(name.Id));
                _state.Set(name.Id, stepped.IsClean ? VarTaint.Clean
                    : valueExpr is CallExpr returning ? WithCleanReturnedKeys(new VarTaint(stepped, null), returning)
                    : new VarTaint(stepped, valueExpr is SubscriptExpr taken ? NestedPartsOf(taken, name.Id) : null));
                BindWriteHandle(name.Id, valueExpr);
                if (_unit.Scope.IsGlobal(name.Id) || _unit.Scope.IsNonlocal(name.Id))
                {
                    _program.WriteGlobal(new GlobalKey(OwnerScope(name.Id), name.Id), stepped);
                }
                break;
            case TupleExpr or ListExpr:
                var elements = target is TupleExpr t ? t.Elts : ((ListExpr)target).Elts;
                var values = valueExpr switch
                {
                    TupleExpr vt when vt.Elts.Count == elements.Count && vt.Elts.All(e => e is not StarredExpr) => vt.Elts,
                    ListExpr vl when vl.Elts.Count == elements.Count && vl.Elts.All(e => e is not StarredExpr) => vl.Elts,
                    _ => null,
                };
                var cleanElements = values is null ? CleanReturnElements(valueExpr, elements.Count) : 0;
                for (var i = 0; i < elements.Count; i++)
                {
                    Assign(elements[i], values?[i], values is not null ? Eval(values[i]) : (cleanElements & (1UL << i)) != 0 ? TaintValue.Clean : value);
                }
                break;
            case StarredExpr starred:
                Assign(starred.Value, null, value);
                break;
            case AttributeExpr attribute when attribute.Value is NameExpr owner:
                StoreAttribute(owner, attribute.Attr, value.IsClean ? value : value.Step(_module, target.Span.Start, StepText.Quoting("stored in", attribute)), attribute);
                break;
            case SubscriptExpr subscript when Semantic.InstanceDictionary.Item(subscript) is { } dictionaryItem:
                StoreAttribute(dictionaryItem.Owner, dictionaryItem.Attribute, value.IsClean ? value : value.Step(_module, target.Span.Start, StepText.Quoting("stored in", subscript)));
                break;
            case SubscriptExpr { Value: AttributeExpr { Value: NameExpr } holder } subscript:
                Eval(subscript.Slice);
                AddToContainerAttribute(holder, value);
                break;
            case SubscriptExpr { Value: SubscriptExpr } subscript when ItemPath(subscript) is ({ } root, { } path):
                // `store["a"]["b"] = v`: the nested part, and the outer item holding it gains the value.
                var stored = value.IsClean ? value : value.Step(_module, target.Span.Start, StepText.Quoting("stored in", subscript));
                _state.Set(root.Id, (_state.TryGet(root.Id, out var items) ? items : VarTaint.Clean).WithNestedPart(path, stored));
                NoteFill(root.Id, stored);
                break;
            case SubscriptExpr { Value: SubscriptExpr inner } subscript:
                // `store["a"]["b"] = v`: the outer item gains it (under its constant key), as a nested read will find it.
                Eval(subscript.Slice);
                Assign(inner, null, value.IsClean ? value : Eval(inner).Join(value.Step(_module, target.Span.Start, StepText.Quoting("stored in", subscript))));
                break;
            case SubscriptExpr subscript when subscript.Value is NameExpr container:
                Eval(subscript.Slice);
                var old = _state.TryGet(container.Id, out var held) ? held : VarTaint.Clean;
                var item = value.IsClean ? value : value.Step(_module, target.Span.Start, StepText.Quoting("stored in", subscript));
                _state.Set(container.Id, ConstantKey(subscript.Slice) is { } key ? old.WithPart(key, item) : old.WithWhole(old.Whole.Join(item)));
                NoteFill(container.Id, item);
                break;
        }
    }

    /// <summary>The trace step of data assigned to the variable <paramref name="name"/>, kept per name (as <see cref="StepMessage"/>).</summary>
    private string AssignedMessage(string name)
    {
        if (!_assignedMessages.TryGetValue(name, out var message))
        {
            _assignedMessages[name] = message = $"assigned to '{name}'";
        }
        return message;
    }

    /// <summary>
    /// <c>owner.attribute = stored</c>: a part of the local, and for <c>self</c> the class's instance attribute, for a
    /// shared object every class it may be. The attribute may be a path (<c>config.data</c>, <see cref="AssignConstructed"/>).
    /// A store of <c>__init__</c> that a later one there overwrites unseen (<see cref="Semantic.ClassInfo.OverwrittenInInit"/>)
    /// is no fact of the class: other methods only see the last.
    /// </summary>
    private void StoreAttribute(NameExpr owner, string attribute, TaintValue stored, AttributeExpr? target = null)
    {
        var current = _state.TryGet(owner.Id, out var existing) ? existing : VarTaint.Clean;
        _state.Set(owner.Id, current.WithPart("." + attribute, stored.Derived()));
        SetterOfLocal(owner, attribute, stored);
        if ((SelfClass(owner) ?? OwnClassOfClassMethod(owner)) is { } cls)
        {
            if (target is null || !cls.OverwrittenInInit.Contains(target))
            {
                StoreInstanceAttribute(cls, attribute, stored);
            }
        }
        else if (_confined.TryGetValue(owner.Id, out var confinedClass))
        {
            NoteOwners(owner.Id, attribute, [confinedClass]); // a store on an object of that class, as StoreOnInstance's
        }
        else if (!stored.IsClean)
        {
            StoreOnInstance(owner, attribute, stored);
        }
    }

    /// <summary>
    /// <c>self.config = Config(data)</c>: the attribute holds the object, and what its constructor stored in it are the
    /// holder's attributes one level down (<c>config.data</c>), read back as <c>self.config.data</c> or, on an object
    /// made here, <c>job.config.data</c> (<see cref="ReadNestedAttribute"/>). The object itself is not tainted by them:
    /// its methods' results are not its attributes.
    /// </summary>
    private void AssignConstructed(AttributeExpr holder, NameExpr owner, CallExpr call)
    {
        var (value, parts) = EvalMade(call);
        Assign(holder, call, value);
        foreach (var (key, part) in parts ?? [])
        {
            if (!part.IsClean && key.StartsWith('.') && key.IndexOf('.', 1) < 0)
            {
                StoreAttribute(owner, holder.Attr + key, part.Step(_module, holder.Span.Start, StepText.Quoting("stored in", holder)), holder);
            }
        }
    }

    /// <summary>
    /// <c>owner.holder.attribute</c>. When a local's <c>holder</c> holds an object made in place
    /// (<see cref="AssignConstructed"/>), its attributes are what its constructor stored: the part under the path, else
    /// only what the holder itself holds (not everything the local holds, as for an unknown attribute). On <c>self</c>,
    /// the class-wide fact of the path joins the ordinary read.
    /// </summary>
    private TaintValue ReadNestedAttribute(NameExpr owner, AttributeExpr holder, AttributeExpr read)
    {
        var isLocal = _state.TryGet(owner.Id, out var local);
        if (isLocal && local.Parts is { } parts && HoldsMadeObject(parts, holder.Attr))
        {
            var held = local.TryGetAttribute(holder.Attr, out var part) ? part : TaintValue.Clean;
            var attribute = held.IsClean ? held : ReadAttributeOf(held, read);
            return parts.TryGetValue("." + holder.Attr + "." + read.Attr, out var nested) ? attribute.Join(nested) : attribute;
        }
        var whole = EvalAttribute(holder);
        var value = whole.IsClean ? whole : ReadAttributeOf(whole, read);
        if (isLocal || SelfClass(owner) is not { } cls)
        {
            return value;
        }
        return value.Join(ClassWideFact(cls, read, holder.Attr + "." + read.Attr));
    }

    /// <summary>Whether some part is an attribute of the object in <paramref name="holder"/> (<c>.config.data</c>).</summary>
    private static bool HoldsMadeObject(IReadOnlyDictionary<string, TaintValue> parts, string holder)
    {
        foreach (var key in parts.Keys)
        {
            if (key.Length > holder.Length + 2 && key[holder.Length + 1] == '.' && key.AsSpan(1, holder.Length).SequenceEqual(holder))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// An item put into a container held in an attribute (<c>self.items[k] = v</c>, <c>self.items.append(v)</c>): the
    /// attribute keeps what it held and gains the item (a weak update), through the same paths as
    /// <c>self.items = ...</c> (class-wide facts, receiver summaries, parts of a local object).
    /// </summary>
    private void AddToContainerAttribute(AttributeExpr holder, TaintValue item)
    {
        if (!item.IsClean)
        {
            Assign(holder, null, EvalAttribute(holder).Join(item));
        }
    }

    /// <summary>
    /// <c>name = {"a": x, "b": y}</c> with constant keys only: each value is the part under its key, as if stored by
    /// <c>name["a"] = x</c>, so <c>name["b"]</c> stays clean (a <c>**</c> splat or another key: false, the display is one
    /// value). Global and nonlocal names take the general path, as their value is shared.
    /// </summary>
    private bool TryAssignDictDisplay(Expr target, Expr value)
    {
        if (target is not NameExpr name || value is not DictExpr dict || dict.Keys.Count > VarTaint.MaxParts
            || _unit.Scope.IsGlobal(name.Id) || _unit.Scope.IsNonlocal(name.Id))
        {
            return false;
        }
        var keys = new string[dict.Keys.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            if (dict.Keys[i] is not { } key || ConstantKey(key) is not { } part)
            {
                return false;
            }
            keys[i] = part;
        }
        var held = VarTaint.Clean;
        for (var i = 0; i < keys.Length; i++)
        {
            held = StoreDisplayItem(held, keys[i], $"{name.Id}[{Text(dict.Keys[i]!)}]", dict.Values[i]);
        }
        _state.Set(name.Id, held);
        return true;
    }

    /// <summary>
    /// One item of a dict display stored under <paramref name="key"/>: a dict display with constant keys in it stores
    /// its own items as nested parts (<c>{"outer": {"blob": b"...", "data": x}}</c>: <c>d["outer"]["blob"]</c> stays
    /// clean), while the part under <paramref name="key"/> holds them all.
    /// </summary>
    private VarTaint StoreDisplayItem(VarTaint held, string key, string text, Expr valueExpr)
    {
        TaintValue value;
        if (valueExpr is DictExpr inner && inner.Keys.Count > 0 && inner.Keys.All(k => k is not null && ConstantKey(k) is not null)
            && (held.Parts?.Count ?? 0) + inner.Keys.Count < VarTaint.MaxParts)
        {
            value = TaintValue.Clean;
            for (var i = 0; i < inner.Keys.Count; i++)
            {
                var nestedKey = VarTaint.NestedKey(key, ConstantKey(inner.Keys[i]!)!);
                held = StoreDisplayItem(held, nestedKey, $"{text}[{Text(inner.Keys[i]!)}]", inner.Values[i]);
                value = value.Join(held.Part(nestedKey));
            }
        }
        else
        {
            value = Eval(valueExpr);
            value = value.IsClean ? value : value.Step(_module, valueExpr.Span.Start, $"stored in '{text}'");
        }
        return held.Parts is { } parts && (parts.Count < VarTaint.MaxParts || parts.ContainsKey(key))
            ? new VarTaint(held.Whole, parts.With(key, value, keepNested: true))
            : held.WithPart(key, value);
    }

    /// <summary>
    /// <c>x = d["a"]</c>: the items of <c>d["a"]</c> that <c>d</c> holds as nested parts (a display nested in
    /// <c>d</c>'s, or <c>d["a"]["b"] = v</c>), each a part of <c>x</c>; else null.
    /// </summary>
    private PartTable? NestedPartsOf(SubscriptExpr item, string assigned)
    {
        if (ItemPath(item) is not ({ } name, { } path) || !_state.TryGet(name.Id, out var held) || held.Parts is not { HasNested: true } parts)
        {
            return null;
        }
        var message = AssignedMessage(assigned);
        return parts.PartsUnder(path)?.Map(part => part.IsClean ? part : part.Step(_module, item.Span.Start, message));
    }

    /// <summary><c>self.attribute = value</c>: source data is a class-wide fact; the method's own inputs go into its summary.</summary>
    private void StoreInstanceAttribute(Semantic.ClassInfo cls, string attribute, TaintValue value)
    {
        foreach (var origin in value.Origins)
        {
            if (origin.IsSource)
            {
                _program.WriteSource(new GlobalKey(cls, attribute), origin);
            }
            else
            {
                _unit.OwnSummary.AddReceiverStore(origin, (cls, attribute), origin.Trace);
            }
        }
    }

    /// <summary>
    /// <c>a.attribute = value</c> on a local that is not confined to this function (<c>a = Shared(); a.data = v;
    /// keep(a); a.load()</c>): besides <c>a</c>'s own part, the data becomes what the attribute holds for every
    /// instance of each project class <c>a</c> may be (its bases' methods, which run on it too, read it as a fact of
    /// their descendants: <see cref="TaintProgram.DescendantsKey"/>), as a
    /// <c>self.attribute = value</c> store would: source data a class-wide fact, the function's inputs its summary's
    /// parameter → attribute entries. Resolved only for tainted values (this runs in the fixpoint's inner loop). Not
    /// for an object no method can see (only its attributes are used here, see <see cref="Detection.StoredObjectVisibility"/>):
    /// step 2 ignores such stores too.
    /// </summary>
    private void StoreOnInstance(NameExpr owner, string attribute, TaintValue value)
    {
        var classes = _program.InstanceClassesOf(owner, _unit.Scope);
        if (classes.Length == 0 || !_program.Visibility.SeenByMethods(_unit.Scope, owner.Id))
        {
            return;
        }
        // A fact of the object's class, which its bases' methods read as one of their descendants' (WriteSource).
        foreach (var cls in classes)
        {
            foreach (var origin in value.Origins)
            {
                if (origin.IsSource)
                {
                    _program.WriteSource(new GlobalKey(cls, attribute), origin, onObject: true);
                }
                else
                {
                    _unit.OwnSummary.AddAttribute(origin, (cls, attribute), origin.Trace);
                }
            }
        }
    }
}
