using System.Runtime.InteropServices;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A method whose calls on <c>self</c>/<c>cls</c> run the overrides of live subclasses (ProjectIndex.ReceiverDispatch.cs)
/// runs each override only for objects of its class: mage's <c>BaseConfig.load</c>, a classmethod calling
/// <c>self.load_extra_config()</c>, runs <c>EcsConfig</c>'s (a request to the ECS metadata endpoint) for an
/// <c>EcsConfig</c>, and the base's own for <c>KubernetesWorkspaceConfig.load(...)</c>. A unit has one summary for every
/// receiver, so a call of such a method on a known class (<c>Other.load()</c>, <c>Other().load()</c>, <c>cls.load()</c>
/// or <c>super().load()</c> in a method of <c>Other</c>) calls a copy of its unit that leaves out the overrides neither
/// that class nor its subclasses run. Classes leaving out the same overrides share a copy, at most
/// <see cref="MaxReceiverCopies"/> per method; a call on a receiver of unknown class (a parameter, the base's own
/// <c>self</c>) keeps the method's unit, with every live override.
/// </summary>
internal sealed partial class ProjectIndex
{
    private const int MaxReceiverCopies = 4;

    /// <summary>The most receiver classes a unit is analysed apart for (<see cref="TaintUnit.ReceiverGroups"/>); past it, one analysis for them all.</summary>
    private const int MaxReceiverGroups = 16;

    /// <summary>Per method, the copies of its unit made for receiver classes (most methods have none), in the order made.</summary>
    private readonly Dictionary<TaintUnit, List<TaintUnit>> _receiverCopies = [];

    /// <summary>The call graph edges the live overrides and the copies add (<see cref="Complete"/> sizes its edges with them).</summary>
    private int _dispatchEdges;

    /// <summary>
    /// Per unit id, a bit set when <see cref="_receiverCopies"/> lists the unit: asked per call and per unit, most of them
    /// have no copies, and a bit test spares them a lookup in the table (80,000 on a third of the stdlib).
    /// </summary>
    private ulong[] _copiedUnits = [];

    /// <summary>The copies of <paramref name="unit"/> made for receiver classes; empty for most units (a span: asked per call and per unit, without an enumerator each time).</summary>
    public ReadOnlySpan<TaintUnit> ReceiverCopiesOf(TaintUnit unit) =>
        (uint)unit.Id / 64 < (uint)_copiedUnits.Length && (_copiedUnits[unit.Id / 64] & (1UL << unit.Id)) != 0
            ? CollectionsMarshal.AsSpan(_receiverCopies[unit])
            : default;

    /// <summary>
    /// Between <see cref="ResolveModule"/> and <see cref="Complete"/>, before anything reads <see cref="Units"/>: adds the
    /// live overrides to the calls on <c>self</c>/<c>cls</c>, then points each call of a method making such calls on a
    /// receiver of known class at the copy for that class (in module and call order: the copies' ids do not depend on
    /// timing).
    /// </summary>
    public void SpecialiseReceivers(ValueResolver resolver)
    {
        var (added, dispatching) = AddLiveOverrides();
        _dispatchEdges = added;
        if (dispatching.Count == 0)
        {
            return;
        }
        for (var m = 0; m < _moduleCalls.Length; m++)
        {
            var infos = _moduleCalls[m];
            var sites = _project.Modules[m].Calls;
            for (var i = 0; i < infos.Length; i++)
            {
                for (var f = 0; f < infos[i].Functions.Length; f++)
                {
                    var method = infos[i].Functions[f].Unit;
                    if (dispatching.TryGetValue(method, out var overrides) && ReceiverClass(sites[i], method.Function!, resolver) is { } cls
                        && CopyFor(method, HiddenFrom(cls, method.Function!.Owner!, overrides, resolver)) is { } copy)
                    {
                        var info = infos[i] = infos[i].Unshared();
                        info.ReplaceFunction(method, copy);
                    }
                }
            }
        }
        CountCopyEdges();
        var liveSubclasses = LiveSubclassesByBase(resolver);
        foreach (var (method, overrides) in dispatching)
        {
            GroupByReceiverClass(method, overrides, liveSubclasses, resolver);
        }
    }

    /// <summary>
    /// Per class, the live classes deriving from it (<see cref="_liveClasses"/>): made once, so that grouping a method's
    /// receivers reads its class's subclasses instead of every live class's bases (the stdlib has thousands of both).
    /// </summary>
    private Dictionary<ClassInfo, List<ClassInfo>> LiveSubclassesByBase(ValueResolver resolver)
    {
        var subclasses = new Dictionary<ClassInfo, List<ClassInfo>>();
        foreach (var cls in _liveClasses.Keys)
        {
            var chain = resolver.ClassAndBases(cls);
            for (var k = 1; k < chain.Length; k++)
            {
                (CollectionsMarshal.GetValueRefOrAddDefault(subclasses, chain[k], out _) ??= []).Add(cls);
            }
        }
        return subclasses;
    }

    /// <summary>
    /// When the overrides <paramref name="method"/>'s calls on <c>self</c>/<c>cls</c> run are on two calls or more (cachelib's
    /// <c>BaseCache.inc</c>: <c>self.get(key)</c>, then <c>self.set(key, value)</c>), gives the method and its copies one
    /// group per set of overrides a live class runs: on one object both calls go to that class's methods, never to
    /// <c>BaseRedisCache.get</c> and <c>SimpleCache.set</c> at once. A copy keeps the groups that hide what it hides.
    /// </summary>
    private void GroupByReceiverClass(
        TaintUnit method, List<DispatchedOverride> overrides, Dictionary<ClassInfo, List<ClassInfo>> liveSubclasses, ValueResolver resolver)
    {
        if (overrides.TrueForAll(d => d.Call == overrides[0].Call))
        {
            return; // one call: nothing to pair
        }
        var owner = method.Function!.Owner!;
        var groups = new List<bool[]> { HiddenFor(owner, overrides, resolver) };
        foreach (var cls in liveSubclasses.GetValueOrDefault(owner) ?? [])
        {
            var hidden = HiddenFor(cls, overrides, resolver);
            if (!groups.Exists(g => g.AsSpan().SequenceEqual(hidden)))
            {
                if (groups.Count == MaxReceiverGroups)
                {
                    return; // too many kinds of receiver: one analysis, every live override
                }
                groups.Add(hidden);
            }
        }
        groups.Sort(static (a, b) => a.AsSpan().SequenceCompareTo(b)); // live classes have no order: the groups' order is the masks'
        method.ReceiverGroups = [.. groups.Select(g => HiddenList(g, overrides))];
        foreach (var copy in ReceiverCopiesOf(method))
        {
            var kept = groups.Where(g => HidesAll(g, copy.HiddenOverrides!, overrides)).ToArray();
            if (kept.Length > 1)
            {
                copy.ReceiverGroups = [.. kept.Select(g => HiddenList(g, overrides))];
            }
        }
    }

    /// <summary>Which of <paramref name="overrides"/> a receiver of exactly class <paramref name="cls"/> does not run (by position).</summary>
    private static bool[] HiddenFor(ClassInfo cls, List<DispatchedOverride> overrides, ValueResolver resolver)
    {
        var chain = resolver.ClassAndBases(cls);
        var hidden = new bool[overrides.Count];
        for (var i = 0; i < overrides.Count; i++)
        {
            var position = Array.IndexOf(chain, overrides[i].Class);
            hidden[i] = position < 0 || !FirstDefinition(overrides[i], chain, position);
        }
        return hidden;
    }

    private static (CallExpr Call, TaintUnit Callee)[] HiddenList(bool[] hidden, List<DispatchedOverride> overrides)
    {
        var list = new List<(CallExpr, TaintUnit)>();
        for (var i = 0; i < hidden.Length; i++)
        {
            if (hidden[i])
            {
                list.Add((overrides[i].Call, overrides[i].Unit));
            }
        }
        return [.. list];
    }

    /// <summary>Whether the group <paramref name="hidden"/> leaves out every override of <paramref name="copyHides"/>.</summary>
    private static bool HidesAll(bool[] hidden, (CallExpr Call, TaintUnit Callee)[] copyHides, List<DispatchedOverride> overrides)
    {
        for (var i = 0; i < hidden.Length; i++)
        {
            if (!hidden[i] && Array.IndexOf(copyHides, (overrides[i].Call, overrides[i].Unit)) >= 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A copy's parameters are the method's: so are their sources.</summary>
    private void ShareParameterSourcesWithCopies()
    {
        foreach (var (method, copies) in _receiverCopies)
        {
            if (ParameterSources.TryGetValue(method, out var sources))
            {
                foreach (var copy in copies)
                {
                    ParameterSources[copy] = sources;
                }
            }
        }
    }

    /// <summary>A copy calls what its method calls: adds those edges to <see cref="_dispatchEdges"/>.</summary>
    private void CountCopyEdges()
    {
        if (_receiverCopies.Count == 0)
        {
            return;
        }
        for (var m = 0; m < _moduleCalls.Length; m++)
        {
            for (var i = 0; i < _moduleCalls[m].Length; i++)
            {
                _dispatchEdges += ReceiverCopiesOf(_moduleCallers[m][i]).Length * EdgesOf(_moduleCalls[m][i]);
            }
            foreach (var (reader, _) in _modulePropertyReads[m])
            {
                _dispatchEdges += ReceiverCopiesOf(reader).Length;
            }
        }
    }

    /// <summary>
    /// The class of the receiver <paramref name="site"/> calls <paramref name="method"/> on, when one is known: the class
    /// of a method's own <c>self</c>/<c>cls</c> or of its <c>super()</c>, a class or an object of one.
    /// </summary>
    private ClassInfo? ReceiverClass(CallSite site, FunctionInfo method, ValueResolver resolver)
    {
        if (site.Call.Func is not AttributeExpr { Value: var receiver } called || called.Attr != method.Name)
        {
            return null;
        }
        if (receiver is CallExpr { Func: NameExpr { Id: "super" }, Args.Count: 0 })
        {
            return UnitOfScope(site.Scope)?.Function?.Owner; // the receiver is the enclosing method's own
        }
        if (receiver is NameExpr name && site.Scope.BindingsOf(name.Id) is [{ Kind: BindingKind.Parameter, SelfOf: { } own }])
        {
            return own;
        }
        ClassInfo? found = null;
        foreach (var value in resolver.Resolve(receiver, EvalContext.At(site)))
        {
            var cls = value switch
            {
                ClassValue c => c.Class,
                InstanceValue instance => instance.Class,
                _ => null,
            };
            if (cls is null || found is not null && found != cls)
            {
                return null; // not one known class
            }
            found = cls;
        }
        return found;
    }

    /// <summary>
    /// The overrides (by call) that no receiver of class <paramref name="cls"/>, a subclass of the method's class
    /// <paramref name="owner"/>, or of a subclass of it runs; none when <paramref name="cls"/> is no such subclass.
    /// </summary>
    private static List<(CallExpr Call, TaintUnit Callee)> HiddenFrom(ClassInfo cls, ClassInfo owner, List<DispatchedOverride> overrides, ValueResolver resolver)
    {
        var chain = resolver.ClassAndBases(cls);
        var hidden = new List<(CallExpr, TaintUnit)>();
        if (Array.IndexOf(chain, owner) < 1)
        {
            return hidden;
        }
        foreach (var dispatched in overrides)
        {
            if (!RunsFor(dispatched, cls, chain, resolver))
            {
                hidden.Add((dispatched.Call, dispatched.Unit));
            }
        }
        return hidden;
    }

    /// <summary>
    /// Whether a receiver of class <paramref name="cls"/> (its chain <paramref name="chain"/>) or of a subclass may run the
    /// override: one of a subclass, or the first of the chain's definitions.
    /// </summary>
    private static bool RunsFor(DispatchedOverride dispatched, ClassInfo cls, ClassInfo[] chain, ValueResolver resolver)
    {
        var position = Array.IndexOf(chain, dispatched.Class);
        if (position < 0)
        {
            return Array.IndexOf(resolver.ClassAndBases(dispatched.Class), cls) >= 1;
        }
        return FirstDefinition(dispatched, chain, position);
    }

    /// <summary>Whether no class before <paramref name="position"/> in <paramref name="chain"/> defines the override's method: a nearer class's own comes first.</summary>
    private static bool FirstDefinition(DispatchedOverride dispatched, ClassInfo[] chain, int position)
    {
        for (var k = 0; k < position; k++)
        {
            if (DefinesMethod(chain[k], dispatched.Unit.Function!.Name))
            {
                return false;
            }
        }
        return true;
    }

    private static bool DefinesMethod(ClassInfo cls, string name)
    {
        foreach (var binding in cls.BodyScope.BindingsOf(name))
        {
            if (binding.Kind == BindingKind.FunctionDef)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The copy of <paramref name="method"/>'s unit that leaves out <paramref name="hidden"/>, made on first use; null
    /// when nothing is left out, or the method has its <see cref="MaxReceiverCopies"/> already.
    /// </summary>
    private TaintUnit? CopyFor(TaintUnit method, List<(CallExpr Call, TaintUnit Callee)> hidden)
    {
        if (hidden.Count == 0)
        {
            return null;
        }
        if (!_receiverCopies.TryGetValue(method, out var copies))
        {
            _receiverCopies[method] = copies = [];
            if (method.Id / 64 >= _copiedUnits.Length)
            {
                Array.Resize(ref _copiedUnits, Units.Count / 64 + 1); // once: every unit's bit
            }
            _copiedUnits[method.Id / 64] |= 1UL << method.Id;
        }
        foreach (var made in copies)
        {
            if (SameOverrides(made.HiddenOverrides!, hidden))
            {
                return made;
            }
        }
        if (copies.Count == MaxReceiverCopies)
        {
            return null;
        }
        var copy = new TaintUnit(method.Function, method.Scope)
        {
            HiddenOverrides = [.. hidden],
            Id = Units.Count,
            CallsSinks = method.CallsSinks,
            EnclosesUnits = method.EnclosesUnits,
        };
        Units.Add(copy);
        copies.Add(copy);
        return copy;
    }

    private static bool SameOverrides((CallExpr Call, TaintUnit Callee)[] made, List<(CallExpr Call, TaintUnit Callee)> hidden)
    {
        if (made.Length != hidden.Count)
        {
            return false;
        }
        for (var i = 0; i < made.Length; i++)
        {
            if (made[i].Call != hidden[i].Call || made[i].Callee != hidden[i].Callee)
            {
                return false;
            }
        }
        return true;
    }
}
