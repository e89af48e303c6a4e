using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

internal sealed partial class Binder
{
    public override void VisitAssignStmt(AssignStmt node)
    {
        WalkExpr(node.Value);
        for (var i = 0; i < node.Targets.Count; i++)
        {
            var target = node.Targets[i];
            BindTarget(target, node.Value, BindingKind.Assignment, node.Span.End);
            WalkTargetChildren(target);
        }
    }

    public override void VisitAnnAssignStmt(AnnAssignStmt node)
    {
        WalkExpr(node.Annotation);
        WalkExpr(node.Value);
        if (node.Value is not null)
        {
            BindTarget(node.Target, node.Value, BindingKind.Assignment, node.Span.End);
        }
        WalkTargetChildren(node.Target);
    }

    public override void VisitAugAssignStmt(AugAssignStmt node)
    {
        WalkExpr(node.Value);
        WalkExpr(node.Target);
        // x += v keeps what x held and adds v: the new binding's value is v, the old bindings still reach.
        if (node.Target is NameExpr name)
        {
            Add(name.Id, BindingKind.Assignment, name, node.Value, node.Span.End, augments: true);
        }
        else
        {
            BindTarget(node.Target, node.Value, BindingKind.Assignment, node.Span.End);
        }
    }

    public override void VisitDeleteStmt(DeleteStmt node) => WalkExprs(node.Targets);

    public override void VisitNamedExpr(NamedExpr node)
    {
        WalkExpr(node.Value);
        if (node.Target is NameExpr name)
        {
            // PEP 572: the target binds in the nearest enclosing scope that is not a comprehension.
            var scope = _scope;
            while (scope.Kind == ScopeKind.Comprehension && scope.Parent is not null)
            {
                scope = scope.Parent;
            }
            AddTo(scope, name.Id, BindingKind.Assignment, node, node.Value, node.Span.End);
        }
    }

    /// <summary>Binds every name in a target; pairs tuple targets with tuple values element by element.</summary>
    /// <param name="element">The target's position in an unpacked tuple or list target (<see cref="Binding.Element"/>), or -1.</param>
    private void BindTarget(Expr target, Expr? value, BindingKind kind, int offset, int element = -1)
    {
        var stored = target switch
        {
            AttributeExpr attribute => attribute,
            SubscriptExpr { Value: AttributeExpr holder } => holder, // an item set in a container attribute
            _ => null,
        };
        if (stored is not null)
        {
            _footprint.NoteAttributeStore(stored, IsReceiver(stored.Value));
        }
        if (InstanceDictionary.Item(target) is { } dictionaryItem)
        {
            _footprint.NoteAttributeStore(dictionaryItem.Owner, dictionaryItem.Attribute, IsReceiver(dictionaryItem.Owner));
        }
        for (var item = target as SubscriptExpr; item is not null; item = item.Value as SubscriptExpr)
        {
            if (item.Value is NameExpr container)
            {
                _footprint.AddMutatedName(container.Id); // `d[k] = v`, `d[a][b] = v`
            }
        }
        switch (target)
        {
            case NameExpr name:
                Add(name.Id, kind, target, value, offset, element: element);
                break;
            case TupleExpr or ListExpr:
                var targets = target is TupleExpr t ? t.Elts : ((ListExpr)target).Elts;
                var values = value switch
                {
                    TupleExpr tv => tv.Elts,
                    ListExpr lv => lv.Elts,
                    _ => null,
                };
                var hasStarred = targets.Any(e => e is StarredExpr);
                var paired = values is not null && values.Count == targets.Count && !hasStarred && !values.Any(e => e is StarredExpr);
                for (var i = 0; i < targets.Count; i++)
                {
                    var position = paired || hasStarred || kind != BindingKind.Assignment ? -1 : i;
                    BindTarget(targets[i], paired ? values![i] : value, paired ? kind : Unpack(kind), offset, position);
                }
                break;
            case StarredExpr starred:
                BindTarget(starred.Value, value, Unpack(kind), offset);
                break;
            case AttributeExpr { Value: NameExpr owner } attribute when kind is BindingKind.Assignment or BindingKind.Unpacked:
                RecordAttributeStore(owner.Id, attribute.Attr, kind, target, value, offset, element);
                break;
            case AttributeExpr attribute when kind is BindingKind.Assignment or BindingKind.Unpacked:
                // `o.inner.data = v`, `items[0].data = v`: on an object no name tells; kept for step 2 all the same.
                _attributeStores.Add(new Binding(attribute.Attr, kind, _scope, target, value, offset, _blocks));
                break;
            case SubscriptExpr { Value: NameExpr table } when kind == BindingKind.Assignment && value is NameExpr or AttributeExpr:
                // `DECODERS["yaml"] = yaml.load`: an entry of a dispatch table added after its display.
                if (!_tableEntries.TryGetValue(table.Id, out var entries))
                {
                    _tableEntries[table.Id] = entries = [];
                }
                entries.Add(new Binding(table.Id, kind, _scope, target, value, offset, _blocks));
                break;
        }
    }

    /// <summary>Loop and with targets keep their kind (the value is the iterable / context); assignments become unpacked.</summary>
    private static BindingKind Unpack(BindingKind kind) => kind == BindingKind.Assignment ? BindingKind.Unpacked : kind;

    /// <summary>
    /// <c>self.attr = value</c> inside a method: remembered on the class for <c>self.attr(...)</c> elsewhere. A store
    /// on any other plain name (<c>a.data = request.data</c>, also unpacked) goes to the module's
    /// <see cref="ModuleModel.AttributeStores"/>: whose attribute it sets is only known once the name is resolved (as
    /// do stores on other expressions, <c>o.inner.data = v</c>).
    /// </summary>
    private void RecordAttributeStore(string receiver, string attribute, BindingKind kind, Expr target, Expr? value, int offset, int element = -1)
    {
        var owner = _function?.Owner;
        var parameter = owner is null ? null : FirstParameterBinding(_scope.BindingsOf(receiver));
        if (owner is not null && parameter?.SelfOf == owner)
        {
            // An unpacked store is kept at a known position only (`self.sock, self.port = make()`).
            if (parameter.SelfIsClass || kind != BindingKind.Assignment && element < 0)
            {
                return;
            }
            if (!owner.InstanceAttributes.TryGetValue(attribute, out var list))
            {
                owner.InstanceAttributes[attribute] = list = [];
            }
            list.Add(NewBinding(attribute, kind, target, value, offset, element));
            return;
        }
        _attributeStores.Add(NewBinding(attribute, kind, target, value, offset, element));
    }

    private static Binding? FirstParameterBinding(IReadOnlyList<Binding> bindings)
    {
        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].Kind == BindingKind.Parameter)
            {
                return bindings[i];
            }
        }
        return null;
    }

    /// <summary>Visits the expressions inside a target that are loads (<c>a[i].b = v</c> reads <c>a</c> and <c>i</c>).</summary>
    private void WalkTargetChildren(Expr target)
    {
        switch (target)
        {
            case NameExpr:
                break;
            case TupleExpr tuple:
                foreach (var element in tuple.Elts)
                {
                    WalkTargetChildren(element);
                }
                break;
            case ListExpr list:
                foreach (var element in list.Elts)
                {
                    WalkTargetChildren(element);
                }
                break;
            case StarredExpr starred:
                WalkTargetChildren(starred.Value);
                break;
            default:
                WalkExpr(target);
                break;
        }
    }

    /// <summary>A binding in the current scope, at its position in an unpacked target when it has one.</summary>
    private Binding NewBinding(string name, BindingKind kind, Node node, Expr? value, int offset, int element) => element >= 0
        ? new ElementBinding(name, kind, _scope, node, value, offset, _blocks, element)
        : new Binding(name, kind, _scope, node, value, offset, _blocks);

    private void Add(string name, BindingKind kind, Node node, Expr? value, int offset,
        ClassInfo? cls = null, FunctionInfo? function = null, string? importedName = null, bool augments = false, int element = -1)
    {
        Scope owner;
        if (_scope.IsGlobal(name))
        {
            owner = ModuleScope;
        }
        else if (_scope.IsNonlocal(name))
        {
            owner = EnclosingFunctionScopeBinding(name) ?? _scope;
        }
        else
        {
            owner = _scope;
        }
        AddTo(owner, name, kind, node, value, offset, cls, function, importedName, augments, element);
    }

    private void AddTo(Scope owner, string name, BindingKind kind, Node node, Expr? value, int offset,
        ClassInfo? cls = null, FunctionInfo? function = null, string? importedName = null, bool augments = false, int element = -1)
    {
        object? definition = (object?)cls ?? (object?)function ?? importedName;
        Binding binding = definition is not null && owner == _scope
            ? new DefinitionBinding(name, kind, owner, node, value, offset, _blocks, definition) { Augments = augments }
            : definition is not null ? new OuterDefinitionBinding(name, kind, owner, _scope, node, value, offset, _blocks, definition) { Augments = augments }
            : owner == _scope && element >= 0 ? NewBinding(name, kind, node, value, offset, element)
            : owner == _scope ? new Binding(name, kind, owner, node, value, offset, _blocks) { Augments = augments }
            : new OuterScopeBinding(name, kind, owner, _scope, node, value, offset, _blocks) { Augments = augments };
        owner.Add(binding);
    }

    private Scope? EnclosingFunctionScopeBinding(string name)
    {
        for (var scope = _scope.Parent; scope is not null; scope = scope.Parent)
        {
            if (scope.Kind is ScopeKind.Function or ScopeKind.Lambda && scope.Binds(name))
            {
                return scope;
            }
        }
        return null;
    }
}
