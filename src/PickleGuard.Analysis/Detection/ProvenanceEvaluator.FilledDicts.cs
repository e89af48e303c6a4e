using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

internal sealed partial class ProvenanceEvaluator
{
    /// <summary>Per dict (a function's local: its scope and name; an attribute: its class and name), what fills it (<see cref="FilledDictChecker"/>), null when a use escapes.</summary>
    private readonly Dictionary<(object Owner, string Name), List<(Expr Value, Scope Scope)>?> _dictItems = [];

    /// <summary>The dicts whose items are being evaluated: a store of one of its own items (<c>d.setdefault(k, d[k])</c>) adds nothing new.</summary>
    private readonly HashSet<(object Owner, string Name)> _dictsFollowed = [];

    /// <summary>
    /// An item read from a dict the program fills in place with values it controls: <c>d.get(k)</c>, <c>d.get(k,
    /// default)</c>, <c>d.pop(k, default)</c> or <c>d[k]</c>, or the part <paramref name="element"/> of it when unpacked
    /// (<c>expires, value = self._cache.get(key, (0, None))</c>, -1 for the whole item). The dict is a function's local
    /// or an attribute of a method's <c>self</c>, bound only to dict displays, and every item stored into it in the
    /// project (<c>d[k] = v</c>, <c>d.setdefault(k, v)</c>) is program-controlled at that part — OctoPrint's view cache
    /// stores <c>(timeout, pickle.dumps(value))</c>. A use the check cannot follow (<see cref="FilledDictChecker"/>)
    /// makes it unknown. Null when it is not such a read or not program-controlled.
    /// </summary>
    private Provenance? FilledDictRead(Expr read, EvalContext context, int element)
    {
        var (holder, fallback) = read switch
        {
            CallExpr { Func: AttributeExpr { Attr: "get" or "pop" } method, Keywords.Count: 0, Args.Count: 1 or 2 } call =>
                (method.Value, call.Args.Count == 2 ? call.Args[1] : null),
            SubscriptExpr { Ctx: ExprContext.Load } item => (item.Value, null),
            _ => (null, null),
        };
        if (holder is null || DictKey(holder, context) is not { } key)
        {
            return null;
        }
        if (!_dictsFollowed.Add(key))
        {
            // Its items are being checked: one copied into another (`d.setdefault(k, d[k])`) brings nothing from outside.
            return Provenance.Program($"an item of '{Text(holder, context)}'");
        }
        try
        {
            if (DictItems(key, holder, context) is not { } items)
            {
                return null;
            }
            Provenance? result = null;
            foreach (var (value, scope) in items)
            {
                var stored = Element(value, element, new EvalContext(scope, value.Span.Start, scope.Body));
                if (!stored.IsProgramControlled)
                {
                    return null;
                }
                result ??= stored;
            }
            var kept = result is { } first
                ? Provenance.Program($"{first.Description}, kept in '{Text(holder, context)}'")
                : Provenance.Program($"an item of '{Text(holder, context)}', which nothing fills");
            return fallback is null ? kept : kept.Join(Element(fallback, element, context)) is { IsProgramControlled: true } joined ? joined : null;
        }
        finally
        {
            _dictsFollowed.Remove(key);
        }
    }

    /// <summary>The part <paramref name="element"/> of a value (the item of a tuple or list display there), or the whole value for -1 or any other value.</summary>
    private Provenance Element(Expr value, int element, EvalContext context)
    {
        var items = value switch
        {
            TupleExpr tuple => tuple.Elts,
            ListExpr list => list.Elts,
            _ => null,
        };
        return element >= 0 && items is not null && element < items.Count && !items.Any(e => e is StarredExpr)
            ? Evaluate(items[element], context)
            : Evaluate(value, context);
    }

    /// <summary>
    /// The dict a holder names: a local of a function (its scope, name), or an attribute of a method's <c>self</c> (its
    /// class, name). Null for anything else (a module's variable may be filled by any importer).
    /// </summary>
    private (object Owner, string Name)? DictKey(Expr holder, EvalContext context)
    {
        switch (holder)
        {
            case NameExpr name when _resolver.ReachingBindings(name.Id, context) is [{ Scope.Kind: ScopeKind.Function } binding, ..]:
                return (binding.Scope, name.Id);
            case AttributeExpr { Value: NameExpr owner } attribute
                when _resolver.ReachingBindings(owner.Id, context) is [{ Kind: BindingKind.Parameter, SelfOf: { } cls }]:
                return (cls, attribute.Attr);
            default:
                return null;
        }
    }

    /// <summary>
    /// Every value put into the dict <paramref name="key"/> names — what its bindings' displays hold and what is stored
    /// into its items — or null when one binding is no dict display or a use escapes. For a local, its function's code;
    /// for an attribute, every module mentioning the name, except on the <c>self</c> of a class not related to its own.
    /// </summary>
    private List<(Expr Value, Scope Scope)>? DictItems((object Owner, string Name) key, Expr holder, EvalContext context)
    {
        if (_dictItems.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var bindings = new List<Binding>();
        var checkers = new List<FilledDictChecker>();
        if (key.Owner is Scope scope)
        {
            bindings.AddRange(scope.BindingsOf(key.Name));
            checkers.Add(FilledDictChecker.Walk(scope.Module, scope.Node, scope, (expr, _) => expr is NameExpr local && local.Id == key.Name));
        }
        else if (key.Owner is ClassInfo cls && AttributeBindingsOf(cls, holder, context) is { } found)
        {
            bindings.AddRange(found);
            foreach (var module in _resolver.Project.Modules)
            {
                if (module.Source.Text.Contains(key.Name, StringComparison.Ordinal))
                {
                    checkers.Add(FilledDictChecker.Walk(module, module.ModuleScope.Node, module.ModuleScope,
                        (expr, at) => expr is AttributeExpr attribute && attribute.Attr == key.Name && !IsSelfOfUnrelatedClass(attribute.Value, at, cls)));
                }
            }
        }
        else
        {
            return _dictItems[key] = null;
        }
        var items = new List<(Expr Value, Scope Scope)>();
        foreach (var binding in bindings)
        {
            if (binding is not { Kind: BindingKind.Assignment, Value: DictExpr display } || display.Keys.Any(k => k is null))
            {
                return _dictItems[key] = null;
            }
            items.AddRange(display.Values.Select(value => (value, binding.ExecutingScope)));
        }
        foreach (var checker in checkers)
        {
            if (checker.Escapes || checker.Bound.Any(bound => bound.Value is not DictExpr display || display.Keys.Any(k => k is null)))
            {
                return _dictItems[key] = null;
            }
            items.AddRange(checker.Bound.SelectMany(bound => ((DictExpr)bound.Value).Values.Select(value => (value, bound.Scope))));
            items.AddRange(checker.Items);
        }
        return _dictItems[key] = items;
    }

    /// <summary>The bindings of the attribute on the objects <c>self</c> may be, as <see cref="EvaluateAttribute"/> finds them; null when unknown.</summary>
    private List<Binding>? AttributeBindingsOf(ClassInfo cls, Expr holder, EvalContext context)
    {
        var attribute = (AttributeExpr)holder;
        var receivers = _resolver.Resolve(attribute.Value, context);
        if (receivers.Count == 0)
        {
            return null;
        }
        var bindings = new List<Binding>();
        foreach (var receiver in receivers)
        {
            if (_resolver.AttributeBindings(receiver, attribute.Attr) is not { } found || OutsideStores(cls, attribute.Attr) is not { } stores)
            {
                return null;
            }
            bindings.AddRange(found);
            bindings.AddRange(stores);
        }
        return bindings;
    }

    /// <summary>Whether <paramref name="owner"/> is the <c>self</c> (or <c>cls</c>) of a method of a class neither above nor below <paramref name="cls"/>: another object.</summary>
    private bool IsSelfOfUnrelatedClass(Expr owner, Scope at, ClassInfo cls) =>
        owner is NameExpr name && at.BindingsOf(name.Id) is [{ Kind: BindingKind.Parameter, SelfOf: { } other }]
        && Array.IndexOf(_resolver.ClassAndBases(other), cls) < 0 && Array.IndexOf(_resolver.ClassAndBases(cls), other) < 0;
}
