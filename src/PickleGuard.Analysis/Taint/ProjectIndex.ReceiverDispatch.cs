using System.Collections.Concurrent;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// <c>self.m()</c> or <c>cls.m()</c> in a method of a base class whose own <c>m</c> has a body (flair's
/// <c>Model.load</c> calling <c>cls._fetch_model(name)</c>, which returns its argument and every concrete model overrides
/// with a Hub download): Python looks <c>m</c> up on the receiver's runtime class, so a project subclass's override may
/// run too. Only the overrides of subclasses the project makes or calls a method on (or that such a class derives
/// from) are added, once every call has resolved (<see cref="AddLiveOverrides"/>): an override of a class nothing
/// uses cannot run, and following every override of every call on <c>self</c> cost a third more time on the stdlib.
/// A call on an object of a known class (<c>Sub().m()</c>, or <c>self.m()</c> in the class without subclasses
/// overriding it) keeps what it resolves to; a call of the base method on a known class runs only the overrides that
/// class sees (ProjectIndex.ReceiverContexts.cs).
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>
    /// The calls on <c>self</c>/<c>cls</c> with overrides in subclasses, with the method making them and those overrides,
    /// until the live classes are known.
    /// </summary>
    private readonly ConcurrentBag<(CallInfo Info, TaintUnit Caller, CallExpr Call, List<(ClassInfo Class, TaintUnit Unit)> Overrides)> _receiverDispatch = [];

    /// <summary>
    /// Project classes a call constructs or calls a method on (<c>Hub()</c>, <c>SequenceTagger.load(...)</c>), with
    /// their bases: found while the calls resolve.
    /// </summary>
    private readonly ConcurrentDictionary<ClassInfo, byte> _liveClasses = new();

    /// <summary>Marks <paramref name="cls"/> and its bases live (once per class).</summary>
    private void MarkLive(ClassInfo cls, ValueResolver resolver)
    {
        if (_liveClasses.ContainsKey(cls))
        {
            return;
        }
        foreach (var owner in resolver.ClassAndBases(cls))
        {
            _liveClasses.TryAdd(owner, 0);
        }
    }

    /// <summary>
    /// Marks live the class a method is called on: the class of the object it is bound to, or the class a classmethod
    /// is called on (<c>SequenceTagger.load("ner")</c>). Not for a call on the method's own <c>self</c>/<c>cls</c>.
    /// </summary>
    private void MarkReceiverLive(CallSite site, FunctionValue function, TaintUnit unit, ValueResolver resolver)
    {
        if (site.Call.Func is not AttributeExpr { Value: var receiver } || OnOwnReceiver(site))
        {
            return;
        }
        if (function.BoundTo is { } bound)
        {
            MarkLive(bound, resolver);
            return;
        }
        if (unit.IsClassMethod)
        {
            foreach (var value in resolver.Resolve(receiver, EvalContext.At(site)))
            {
                if (value is ClassValue { Class: var cls })
                {
                    MarkLive(cls, resolver);
                }
            }
        }
    }

    /// <summary>A call on the <c>self</c>/<c>cls</c> of the method it is in: it says nothing of which classes are used.</summary>
    private static bool OnOwnReceiver(CallSite site) =>
        site.Call.Func is AttributeExpr { Value: NameExpr receiver } && site.Scope.BindingsOf(receiver.Id) is [{ Kind: BindingKind.Parameter, SelfOf: not null }];

    /// <summary>
    /// The overrides of <paramref name="method"/> in project subclasses of the class whose receiver
    /// <paramref name="site"/> calls it on (at most <see cref="MaxOverrides"/>); null when the call is on no
    /// <c>self</c>/<c>cls</c>, or no subclass overrides it.
    /// </summary>
    private List<(ClassInfo Class, TaintUnit Unit)>? ReceiverOverrides(CallSite site, FunctionInfo method, ValueResolver resolver)
    {
        if (method.Owner is null || site.Call.Func is not AttributeExpr { Value: NameExpr receiver } called || called.Attr != method.Name
            || ClassesDefining(method.Name).Length < 2 || site.Scope.BindingsOf(receiver.Id) is not [{ Kind: BindingKind.Parameter, SelfOf: { } cls }])
        {
            return null;
        }
        return _overridesOnReceiver.GetOrAdd((cls, method), static (key, r) => r.index.SubclassOverrides(key.Receiver, key.Method, r.resolver), (index: this, resolver));
    }

    /// <summary>
    /// <see cref="ReceiverOverrides"/> by class of the receiver and method: the same for every call of the method on
    /// <c>self</c> in that class's methods. Walking every class defining the method's name and its chain for each call
    /// was 11 M of the taint index's 163 M instructions on a subset of the stdlib (3,685 calls, 800 pairs). The lists
    /// are shared and only read.
    /// </summary>
    private readonly ConcurrentDictionary<(ClassInfo Receiver, FunctionInfo Method), List<(ClassInfo Class, TaintUnit Unit)>?> _overridesOnReceiver =
        new(ReceiverMethodComparer.Instance);

    /// <summary>The overrides of <paramref name="method"/> in project subclasses of <paramref name="cls"/> (at most <see cref="MaxOverrides"/>), or null.</summary>
    private List<(ClassInfo Class, TaintUnit Unit)>? SubclassOverrides(ClassInfo cls, FunctionInfo method, ValueResolver resolver)
    {
        List<(ClassInfo, TaintUnit)>? overrides = null;
        foreach (var subclass in ClassesDefining(method.Name))
        {
            if (subclass == cls || subclass == method.Owner || subclass.Node.Bases.Count == 0 || Array.IndexOf(resolver.ClassAndBases(subclass), cls) < 1)
            {
                continue;
            }
            foreach (var binding in subclass.BodyScope.BindingsOf(method.Name))
            {
                if (binding is { Kind: BindingKind.FunctionDef, Function: { } function } && UnitOf(function) is { } unit)
                {
                    (overrides ??= []).Add((subclass, unit));
                }
            }
            if (overrides?.Count >= MaxOverrides)
            {
                break;
            }
        }
        return overrides;
    }

    /// <summary>
    /// Adds to the calls on <c>self</c>/<c>cls</c> the overrides of the live classes (<see cref="_liveClasses"/>), once
    /// every call has resolved; returns the number of call graph edges added and, per method making such calls, the
    /// overrides added to them (by call, in the order of the calls and then of the units).
    /// </summary>
    private (int Added, Dictionary<TaintUnit, List<DispatchedOverride>> ByCaller) AddLiveOverrides()
    {
        var added = 0;
        var byCaller = new Dictionary<TaintUnit, List<DispatchedOverride>>();
        foreach (var (info, caller, call, overrides) in _receiverDispatch)
        {
            foreach (var (cls, unit) in overrides)
            {
                if (_liveClasses.ContainsKey(cls))
                {
                    info.AddFunction(unit, unit.TakesReceiver);
                    added++;
                    (byCaller.TryGetValue(caller, out var list) ? list : byCaller[caller] = []).Add(new DispatchedOverride(call, cls, unit));
                }
            }
        }
        foreach (var list in byCaller.Values)
        {
            list.Sort(static (a, b) => a.Call.Span.Start != b.Call.Span.Start ? a.Call.Span.Start.CompareTo(b.Call.Span.Start) : a.Unit.Id.CompareTo(b.Unit.Id));
        }
        return (added, byCaller);
    }

    /// <summary>An override <see cref="AddLiveOverrides"/> added to a call on <c>self</c>/<c>cls</c>, with its class.</summary>
    private sealed record DispatchedOverride(CallExpr Call, ClassInfo Class, TaintUnit Unit);
}
