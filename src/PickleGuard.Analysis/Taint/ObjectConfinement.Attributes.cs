using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Which constructions an instance attribute may hold the object of (<see cref="OriginKey.MadeAt"/>, thirty-fourth
/// session): billiard's queues keep the reader of a <c>Pipe()</c> they made as <c>self._reader</c>, so what a
/// <c>Connection</c> made from an accepted socket holds never comes out of <c>self._reader.recv_bytes()</c>.
/// Conservative: an attribute any store of which is not understood has no known sites.
/// </summary>
internal sealed partial class ObjectConfinement
{
    private readonly Dictionary<(ClassInfo, string), CallExpr[]?> _attributeSites = [];

    /// <summary>
    /// The constructions the attribute <paramref name="attribute"/> of an object of <paramref name="holder"/> (or of a
    /// subclass) may hold the object of, when every class of the hierarchy keeps its objects apart and stores it only
    /// through its own receiver, each store being a construction, a call of plain functions every return of which is
    /// one (or a tuple with one at the unpacked position), <c>None</c>, or the state of <c>__setstate__</c> at the
    /// position where <c>__getstate__</c> returns the attribute itself (the object pickled again); else null.
    /// </summary>
    public CallExpr[]? AttributeSites(ClassInfo holder, string attribute)
    {
        if (!_attributeSites.TryGetValue((holder, attribute), out var sites))
        {
            _attributeSites[(holder, attribute)] = sites = FindAttributeSites(holder, attribute);
        }
        return sites;
    }

    /// <summary>
    /// For <c>self.name()</c> where every store of <paramref name="attribute"/> in the hierarchy of
    /// <paramref name="holder"/> is a bound method <c>self.held.m</c> (billiard's <c>self._recv_bytes =
    /// self._reader.recv_bytes</c>): the method's name and <see cref="AttributeSites"/> of <c>held</c>; else null.
    /// </summary>
    public (string Method, CallExpr[] Sites)? BoundMethodSites(ClassInfo holder, string attribute)
    {
        string? held = null, method = null;
        if (!StoredOnlyThroughReceivers(holder, attribute))
        {
            return null;
        }
        foreach (var store in StoresInHierarchy(holder, attribute))
        {
            if (store is not { Kind: BindingKind.Assignment, Element: -1, Value: AttributeExpr { Value: AttributeExpr { Value: NameExpr receiver, Attr: var heldName }, Attr: var name } }
                || !IsReceiverOf(store, receiver.Id) || held is not null && (held != heldName || method != name))
            {
                return null;
            }
            (held, method) = (heldName, name);
        }
        return held is not null && AttributeSites(holder, held) is { } sites ? (method!, sites) : null;
    }

    private CallExpr[]? FindAttributeSites(ClassInfo holder, string attribute)
    {
        if (!StoredOnlyThroughReceivers(holder, attribute))
        {
            return null;
        }
        var sites = new List<CallExpr>();
        foreach (var store in StoresInHierarchy(holder, attribute))
        {
            if (!AddStoredSites(holder, store, sites))
            {
                return null;
            }
        }
        return sites.Count > 0 ? [.. sites] : null;
    }

    /// <summary>The classes an object read as <c>self</c> in a method of <paramref name="holder"/> may be of, and their bases.</summary>
    private IEnumerable<ClassInfo> Hierarchy(ClassInfo holder) => _program.ClassAndBases(holder).Concat(Index.DescendantsOf(holder));

    private IEnumerable<Binding> StoresInHierarchy(ClassInfo holder, string attribute) =>
        Hierarchy(holder).SelectMany(cls => cls.InstanceAttributes.TryGetValue(attribute, out var stores) ? stores : []);

    /// <summary>
    /// Whether every store of <paramref name="attribute"/> on an object of the hierarchy is one the binder keeps on the
    /// class (<see cref="ClassInfo.InstanceAttributes"/>): none outside its methods' own receivers anywhere in the
    /// project, no class attribute of that name, no class storing by computed name or unpacking it where the binder
    /// keeps no position (<c>with ... as self.x</c>, <c>for self.x in</c>, <c>*self.x</c>).
    /// </summary>
    private bool StoredOnlyThroughReceivers(ClassInfo holder, string attribute) =>
        _program.Resolver.Project.AttributeStoresOf(attribute).Count == 0
        && Hierarchy(holder).All(cls => KeepsObjectsApart(cls) && !StoresByName(cls) && cls.BodyScope.BindingsOf(attribute).Count == 0
            && !StoredWithoutPosition(ClassText(cls), attribute));

    private static bool StoredWithoutPosition(ReadOnlySpan<char> text, string attribute)
    {
        var name = "." + attribute;
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = NextIndex(text, name, at))
        {
            var before = at;
            while (before > 0 && (char.IsLetterOrDigit(text[before - 1]) || text[before - 1] == '_'))
            {
                before--; // the receiver's name
            }
            var prefix = text[..before].TrimEnd(' ');
            if (prefix.EndsWith("*") || prefix.EndsWith(" as", StringComparison.Ordinal) || prefix.EndsWith("for", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsReceiverOf(Binding store, string name) =>
        store.Scope.BindingsOf(name) is [{ Kind: BindingKind.Parameter, SelfOf: not null, SelfIsClass: false }];

    /// <summary>Adds the constructions one store may put into the attribute; false when it is not understood.</summary>
    private bool AddStoredSites(ClassInfo holder, Binding store, List<CallExpr> sites)
    {
        switch (store.Value)
        {
            case ConstantExpr { Value.Type: ConstantType.None }:
                return store.Element < 0;
            case CallExpr call when store.Element < 0 && Index.Constructions.TryGetValue(call, out var made):
                sites.Add(call);
                return KeepsObjectsApart(made.Class);
            case CallExpr call:
                return AddReturnedSites(store.Scope.Module, call, store.Element, sites);
            case NameExpr state:
                return store.Element >= 0 && IsPickledAgain(holder, store, state.Id);
            default:
                return false;
        }
    }

    /// <summary>
    /// The constructions a call of plain project functions returns (at <paramref name="element"/> of the tuple they
    /// return, when not -1): every return of each is a construction or a local bound only to constructions.
    /// </summary>
    private bool AddReturnedSites(ModuleModel module, CallExpr call, int element, List<CallExpr> sites)
    {
        var info = Index.CallOf(module, call);
        if (info is null || info.Functions.IsEmpty || !info.Classes.IsEmpty || info.PassesThrough || info.Source is not null || !info.Sinks.IsEmpty)
        {
            return false;
        }
        foreach (var (unit, bound) in info.Functions)
        {
            if (bound || unit.Function?.Node is not FunctionDefStmt { DecoratorList.Count: 0 } || ReturnCollector.YieldsOf(unit.Body).Count > 0)
            {
                return false;
            }
            foreach (var (value, _) in unit.Function.Returns)
            {
                var returned = element < 0 ? value : value is TupleExpr tuple && element < tuple.Elts.Count ? tuple.Elts[element] : null;
                switch (returned)
                {
                    case CallExpr made when Index.Constructions.TryGetValue(made, out var construction) && KeepsObjectsApart(construction.Class):
                        sites.Add(made);
                        break;
                    case NameExpr local when ConstructionSites(unit, local.Id) is { } made:
                        sites.AddRange(made);
                        break;
                    default:
                        return false;
                }
            }
        }
        return true;
    }

    /// <summary>
    /// <c>(self.a, self.b) = state</c> in <c>__setstate__</c>, where every <c>__getstate__</c> of the hierarchy returns
    /// only tuples holding <c>self.a</c> at that position: the attribute gets what an object of the hierarchy held in it.
    /// </summary>
    private bool IsPickledAgain(ClassInfo holder, Binding store, string state)
    {
        if (store.Scope.Node is not FunctionDefStmt { Name: "__setstate__" } || store.Scope.BindingsOf(state) is not [{ Kind: BindingKind.Parameter }])
        {
            return false;
        }
        var found = false;
        foreach (var cls in Hierarchy(holder))
        {
            foreach (var getter in cls.BodyScope.BindingsOf("__getstate__"))
            {
                if (getter.Function is not { Node: FunctionDefStmt { DecoratorList.Count: 0, Args.Args: [{ ArgValue: var self }, ..] } } function
                    || function.Returns.Length == 0
                    || !function.Returns.All(r => GivesBack(r.Value, store, self, holder)))
                {
                    return false;
                }
                found = true;
            }
        }
        return found;
    }

    /// <summary>
    /// Whether a <c>__getstate__</c> return holds <c>self.attribute</c> at the store's position: a tuple display holding
    /// it there, or a base's state extended (<c>Queue.__getstate__(self) + (...)</c>, <c>super().__getstate__() + (...)</c>,
    /// billiard's <c>JoinableQueue</c>), whose getter is in the hierarchy and checked itself.
    /// </summary>
    private bool GivesBack(Expr? value, Binding store, string self, ClassInfo holder) => value switch
    {
        TupleExpr tuple => store.Element < tuple.Elts.Count
            && tuple.Elts[store.Element] is AttributeExpr { Value: NameExpr receiver } read && receiver.Id == self && read.Attr == store.Name,
        BinOpExpr { Op: BinaryOperator.Add, Left: CallExpr { Func: AttributeExpr { Attr: "__getstate__", Value: var getter } } call, Right: TupleExpr } =>
            getter switch
            {
                NameExpr cls => call.Args is [NameExpr { } first, ..] && first.Id == self && _program.ClassAndBases(holder).Any(c => c.Name == cls.Id),
                CallExpr { Func: NameExpr { Id: "super" }, Args.Count: 0 } => call.Args.Count == 0,
                _ => false,
            },
        _ => false,
    };
}
