using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Project objects a class keeps in a list attribute (python-memcached's <c>Client</c>: <c>self.servers = [_Host(s) for
/// s in servers]</c>, then <c>self.buckets = []</c> and <c>self.buckets.append(server)</c> for each of them, and
/// <c>server = self.buckets[i]</c>): an item taken out is one of those objects, so <c>server.recv(n)</c> is
/// <c>_Host.recv</c>. Only instances of project classes count: a list of callbacks or of data stays unknown, as before.
/// </summary>
public sealed partial class ValueResolver
{
    /// <summary>
    /// The project objects appended to <c>self.<paramref name="attribute"/></c> in the methods of
    /// <paramref name="owner"/>'s module whose <c>self</c> is an <paramref name="owner"/>: each argument of
    /// <c>self.attribute.append(x)</c> that resolves to instances.
    /// </summary>
    private IReadOnlyList<SymbolicValue> AppendedObjects(ClassInfo owner, string attribute)
    {
        var module = owner.BodyScope.Module;
        if (!ModuleText.MayName(module, "append"))
        {
            return [];
        }
        var result = new ValueSet();
        foreach (var site in module.CallsNamed("append"))
        {
            if (site.Call is { Func: AttributeExpr { Value: AttributeExpr { Value: NameExpr receiver } list }, Args: [var item], Keywords.Count: 0 }
                && list.Attr == attribute && site.Scope.BindingsOf(receiver.Id) is [{ SelfOf: { } self }] && self == owner)
            {
                AddObjects(ref result, Resolve(item, EvalContext.At(site)));
            }
        }
        return result.Result;
    }

    /// <summary>
    /// What a loop over <c>self.attribute</c> gives (<c>for server in self.servers</c>): the project objects the class
    /// keeps in that list (<see cref="ClassTableValues"/>); nothing when it is no such list.
    /// </summary>
    private IReadOnlyList<SymbolicValue> ListedObjects(AttributeExpr held, NameExpr receiver, EvalContext context)
    {
        var result = new ValueSet();
        AddObjects(ref result, ClassTableValues(held.Attr, receiver, null, context) ?? []);
        return result.Result;
    }

    private static void AddObjects(ref ValueSet result, IReadOnlyList<SymbolicValue> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is InstanceValue)
            {
                result.Add(values[i]);
            }
        }
    }
}
