using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// An object whose attributes hold only what was stored under their names (a SQLAlchemy model made from keywords,
/// <see cref="KeywordRecordClass"/>), handed on whole: the data in its attributes goes with the names holding it
/// (<see cref="OriginKey.HeldIn"/>), so the callee's read of another plain attribute (the row's <c>id</c>) gives none
/// of it, as the same read here would. What a call makes of the object (<c>record.to_dict()</c>, <c>str(record)</c>)
/// is data derived from every attribute (<see cref="TaintValue.Unheld"/>).
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// The local <paramref name="name"/> used as an argument: its value, with the data of its attribute parts held in
    /// their names when it holds a keyword record; null when it holds something else (then it is passed as a whole).
    /// </summary>
    private TaintValue? PassedRecord(NameExpr name) =>
        _state.TryGet(name.Id, out var local) && local.Parts is { } parts && KeywordRecordOf(name) is not null
            ? HeldFields(local.Whole, parts)
            : null;

    /// <summary>
    /// <c>RunningQuery(Query(company_id=x))</c>: the keyword record made in place for an argument, with the parts its
    /// construction stored (<see cref="EvalMade"/>) held in their names; null for any other call.
    /// </summary>
    private TaintValue? MadeRecord(CallExpr call, TaintValue value, IEnumerable<KeyValuePair<string, TaintValue>> parts) =>
        _program.Index.CallOf(_module, call) is { Classes: [{ Init: null, Class: var cls }] } && MakesKeywordRecord(cls, call) && !StoresByNameInChain(cls)
            ? HeldFields(value, parts)
            : null;

    /// <summary>
    /// <paramref name="whole"/> and the data of the attribute parts (<c>.name</c>, <c>.name.nested</c>), each origin
    /// held in the names of the attributes holding it. Items (<c>[key]</c>) and object sources go as the whole value.
    /// </summary>
    private static TaintValue HeldFields(TaintValue whole, IEnumerable<KeyValuePair<string, TaintValue>> parts)
    {
        List<(TaintOrigin Origin, List<string> Names)>? held = null;
        foreach (var (key, part) in parts)
        {
            if (!key.StartsWith('.'))
            {
                whole = whole.Join(part);
                continue;
            }
            var name = StoredName(key).ToString();
            foreach (var origin in part.Origins)
            {
                if (origin.Attributes is not null || origin.HeldIn is not null)
                {
                    whole = whole.Join(TaintValue.Of(origin));
                    continue;
                }
                held ??= [];
                var at = held.FindIndex(h => h.Origin.SameKey(origin));
                if (at < 0)
                {
                    held.Add((origin, [name]));
                }
                else if (!held[at].Names.Contains(name))
                {
                    held[at].Names.Add(name);
                }
            }
        }
        var result = whole;
        foreach (var (origin, names) in held ?? [])
        {
            if (!HasSameKey(whole, origin))
            {
                names.Sort(StringComparer.Ordinal);
                result = result.Join(TaintValue.Of(origin with { Key = origin.Key with { HeldIn = names } }));
            }
        }
        return result;
    }

    private static bool HasSameKey(TaintValue value, TaintOrigin origin)
    {
        foreach (var other in value.Origins)
        {
            if (other.SameKey(origin))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// An origin of <paramref name="value"/> read as attribute <paramref name="attribute"/>: held data stays only when
    /// held in that attribute, or when the name may compute from any attribute (a project method or property, a
    /// dunder such as <c>__dict__</c>), and is then the value itself.
    /// </summary>
    private TaintOrigin? ReadHeld(TaintOrigin origin, string attribute) =>
        origin.HeldIn is not { } names ? origin
        : names.Contains(attribute) || ReadsAnyField(attribute) ? origin.Unheld()
        : null;

    private bool ReadsAnyField(string attribute) =>
        attribute.StartsWith("__", StringComparison.Ordinal) || _program.Index.IsMethodOrPropertyName(attribute);

    /// <summary>
    /// Held data passed to a callee's parameter it only reads attributes of, calling none (<see cref="ProjectIndex.ParameterUsesOf"/>):
    /// only what those attributes hold reaches it.
    /// </summary>
    private TaintOrigin? HeldForUses(TaintOrigin origin, IReadOnlySet<string> uses)
    {
        if (origin.HeldIn is not { } names)
        {
            return origin;
        }
        foreach (var use in uses)
        {
            if (names.Contains(use) || ReadsAnyField(use))
            {
                return origin;
            }
        }
        return null;
    }

    /// <summary>
    /// Stores <paramref name="passed"/>, data held in attributes of the object passed for <paramref name="parameter"/>,
    /// into the receiver attributes <paramref name="callee"/> stores that object itself in (<see cref="WholeParameterStores"/>);
    /// returns the callee's other receiver stores of the parameter, which get it as plain data.
    /// </summary>
    private Dictionary<(Semantic.ClassInfo Class, string Attribute), TraceLink>? StoreWholeObject(TaintUnit callee, int parameter,
        Dictionary<(Semantic.ClassInfo Class, string Attribute), TraceLink>? receiverStores, Receiver receiver, TaintValue passed)
    {
        if (receiverStores is null || WholeParameterStores.Of(callee, parameter) is not { Count: > 0 } whole)
        {
            return receiverStores;
        }
        var others = new Dictionary<(Semantic.ClassInfo Class, string Attribute), TraceLink>();
        var kept = new Dictionary<(Semantic.ClassInfo Class, string Attribute), TraceLink>();
        foreach (var (store, chain) in receiverStores)
        {
            (whole.Contains(store.Attribute) ? kept : others)[store] = chain;
        }
        if (kept.Count > 0)
        {
            StoreAll(receiver, kept, passed, callee: callee.Summary);
        }
        return others.Count > 0 ? others : null;
    }
}
