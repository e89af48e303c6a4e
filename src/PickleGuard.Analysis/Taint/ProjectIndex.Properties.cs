using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// <c>self.pool</c> where the class defines <c>@property def pool(self): return self._pool</c>: reading the attribute
/// runs the getter, so a method reading it calls the getter's unit (an edge of the call graph), and the analysis
/// applies the getter's summary at the read (<see cref="FunctionAnalyzer"/>, ReadInstanceAttribute).
/// </summary>
internal sealed partial class ProjectIndex
{
    private readonly ConcurrentDictionary<(ClassInfo, string), TaintUnit?> _propertyGetters = new();

    /// <summary>Per module until <see cref="Complete"/>: each method with the property getters it reads through <c>self</c>.</summary>
    private readonly List<(TaintUnit Reader, TaintUnit Getter)>[] _modulePropertyReads;

    /// <summary>
    /// The getter of property <paramref name="attribute"/> of <paramref name="cls"/> or its nearest project base that
    /// defines the name, or null (no such class, or the name is no property there).
    /// </summary>
    public TaintUnit? PropertyGetter(ClassInfo cls, string attribute, ValueResolver resolver) =>
        !_propertyNames.Contains(attribute) ? null
            : _propertyGetters.GetOrAdd((cls, attribute),
                static (key, state) => state.Index.FindPropertyGetter(key.Item1, key.Item2, state.Resolver), (Index: this, Resolver: resolver));

    private TaintUnit? FindPropertyGetter(ClassInfo cls, string attribute, ValueResolver resolver)
    {
        foreach (var owner in resolver.ClassAndBases(cls))
        {
            if (!owner.BodyScope.Binds(attribute))
            {
                continue;
            }
            foreach (var binding in owner.BodyScope.BindingsOf(attribute))
            {
                if (binding is { Kind: BindingKind.FunctionDef, Function: { IsProperty: true } getter } && UnitOf.TryGetValue(getter, out var unit))
                {
                    return unit;
                }
            }
            return null; // the nearest class defining the name says what it is
        }
        return null;
    }

    /// <summary>The property getters the methods of module <paramref name="m"/> read through <c>self</c>.</summary>
    private List<(TaintUnit, TaintUnit)> PropertyReadsOf(int m, ValueResolver resolver)
    {
        var reads = new List<(TaintUnit, TaintUnit)>();
        foreach (var unit in _moduleUnits[m].AsSpan(1))
        {
            if (unit.Function?.Owner is not { } owner || !unit.TakesReceiver)
            {
                continue;
            }
            foreach (var attribute in unit.Footprint.ReceiverReads)
            {
                if (PropertyGetter(owner, attribute, resolver) is { } getter && getter != unit)
                {
                    reads.Add((unit, getter));
                }
            }
        }
        return reads;
    }
}
