using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// <c>self.pool</c> where the class defines <c>@property def pool(self): return self._pool</c>: reading the attribute
/// runs the getter, so a method reading it calls the getter's unit (an edge of the call graph), and the analysis
/// applies the getter's summary at the read (<see cref="FunctionAnalyzer"/>, ReadInstanceAttribute); likewise for a
/// local holding an object the same function makes (FunctionAnalyzer.Expressions.cs, PropertyOfLocal), where a store of
/// the attribute runs the property's setter with the stored value (SetterOfLocal).
/// </summary>
internal sealed partial class ProjectIndex
{
    private readonly ConcurrentDictionary<(ClassInfo, string), TaintUnit?> _propertyGetters = new();
    private readonly ConcurrentDictionary<ClassInfo, TaintUnit[]> _classPropertyGetters = new();

    /// <summary>The classes that define a property (filled with the names, <see cref="IndexNames"/>: most classes define none).</summary>
    private HashSet<ClassInfo> PropertyOwners { get; } = [];

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

    /// <summary>Whether one of <paramref name="classes"/> defines a property (a plain loop: no delegate per question).</summary>
    private bool AnyDefinesProperties(ClassInfo[] classes)
    {
        foreach (var cls in classes)
        {
            if (PropertyOwners.Contains(cls))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The getters of every property the instances of <paramref name="cls"/> have (its own and its project bases').</summary>
    private TaintUnit[] PropertyGettersOf(ClassInfo cls, ValueResolver resolver) =>
        !AnyDefinesProperties(resolver.ClassAndBases(cls)) ? [] : _classPropertyGetters.GetOrAdd(cls, static (cls, state) =>
        {
            var getters = new List<TaintUnit>();
            foreach (var owner in state.Resolver.ClassAndBases(cls))
            {
                foreach (var name in owner.BodyScope.Names)
                {
                    if (state.Index._propertyNames.Contains(name) && state.Index.PropertyGetter(cls, name, state.Resolver) is { } getter && !getters.Contains(getter))
                    {
                        getters.Add(getter);
                    }
                }
            }
            return [.. getters];
        }, (Index: this, Resolver: resolver));

    private readonly ConcurrentDictionary<(ClassInfo, string), TaintUnit?> _propertySetters = new();

    /// <summary>
    /// The setter (<c>@blob.setter def blob(self, value)</c>) of property <paramref name="attribute"/> of
    /// <paramref name="cls"/> or its nearest project base that defines the name, or null: storing the attribute on an
    /// instance runs it with the stored value.
    /// </summary>
    public TaintUnit? PropertySetter(ClassInfo cls, string attribute, ValueResolver resolver) =>
        !_propertyNames.Contains(attribute) ? null
            : _propertySetters.GetOrAdd((cls, attribute),
                static (key, state) => state.Index.FindPropertySetter(key.Item1, key.Item2, state.Resolver), (Index: this, Resolver: resolver));

    private static bool IsSetterOf(Python.Expr decorator, string attribute) =>
        decorator is Python.AttributeExpr { Attr: "setter", Value: Python.NameExpr { Id: var property } } && property == attribute;

    private TaintUnit? FindPropertyGetter(ClassInfo cls, string attribute, ValueResolver resolver) =>
        FindAccessor(cls, attribute, resolver, static (function, _) => function.IsProperty);

    private TaintUnit? FindPropertySetter(ClassInfo cls, string attribute, ValueResolver resolver) =>
        FindAccessor(cls, attribute, resolver, static (function, attribute) => function.Decorators.Any(d => IsSetterOf(d, attribute)));

    /// <summary>The method the nearest class of the chain that defines <paramref name="attribute"/> defines as the accessor <paramref name="isAccessor"/> looks for, or null.</summary>
    private TaintUnit? FindAccessor(ClassInfo cls, string attribute, ValueResolver resolver, Func<FunctionInfo, string, bool> isAccessor)
    {
        foreach (var owner in resolver.ClassAndBases(cls))
        {
            if (!owner.BodyScope.Binds(attribute))
            {
                continue;
            }
            foreach (var binding in owner.BodyScope.BindingsOf(attribute))
            {
                if (binding is { Kind: BindingKind.FunctionDef, Function: { } accessor } && isAccessor(accessor, attribute) && UnitOf(accessor) is { } unit)
                {
                    return unit;
                }
            }
            return null; // the nearest class defining the name says what it is
        }
        return null;
    }

    /// <summary>
    /// The property getters the methods of module <paramref name="m"/> read through <c>self</c>, and those of the classes
    /// its units make (<c>incoming = Incoming(); incoming.payload</c>: the analysis applies the getter where a local
    /// holding the object reads it, <see cref="FunctionAnalyzer"/>, so the getter goes first).
    /// </summary>
    private List<(TaintUnit, TaintUnit)> PropertyReadsOf(int m, ValueResolver resolver)
    {
        var reads = new List<(TaintUnit, TaintUnit)>();
        if (_propertyNames.Count > 0)
        {
            var calls = _moduleCalls[m];
            for (var i = 0; i < calls.Length; i++)
            {
                foreach (var (cls, _) in calls[i].Classes)
                {
                    var maker = _moduleCallers[m][i];
                    foreach (var getter in PropertyGettersOf(cls, resolver))
                    {
                        // Only a property the body reads somewhere on a name (each unit belongs to this module's pass alone).
                        if ((maker.AttributesRead ??= AttributeReads.OnNames(maker)).Contains(getter.Name))
                        {
                            (maker.PropertiesOfMadeObjects ??= new(StringComparer.Ordinal)).Add(getter.Name);
                            reads.Add((maker, getter));
                        }
                        // A property the body stores on a name runs its setter (`job.blob = data`): it goes first too.
                        if (maker.Footprint.OtherWrites.Contains(getter.Name) && PropertySetter(cls, getter.Name, resolver) is { } setter)
                        {
                            (maker.PropertiesOfMadeObjects ??= new(StringComparer.Ordinal)).Add(getter.Name);
                            reads.Add((maker, setter));
                        }
                    }
                }
            }
        }
        ClassInfo? lastOwner = null;
        var lastOwnerHasProperties = false;
        foreach (var unit in _moduleUnits[m].AsSpan(1))
        {
            if (unit.Function?.Owner is not { } owner || !unit.TakesReceiver || unit.Footprint.ReceiverReads.Count == 0)
            {
                continue;
            }
            // A class without properties up its bases has no getter to find: skips enumerating the reads (boxed, 2 MB on
            // the stdlib). Asked once per run of methods of one class (a class's methods come one after another).
            if (owner != lastOwner)
            {
                lastOwner = owner;
                lastOwnerHasProperties = AnyDefinesProperties(resolver.ClassAndBases(owner));
            }
            if (!lastOwnerHasProperties)
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
