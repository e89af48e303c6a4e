using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Source data told apart by the object holding it (<see cref="OriginKey.MadeAt"/>, thirty-second session): a
/// construction's <c>__init__</c> storing it into an attribute of the object made writes the class-wide fact with the
/// construction; a method reading the attribute through its own receiver keeps it, and so does its return value; a
/// caller calling the method on a local that only ever holds objects made at other constructions drops that data
/// (dvc's <c>Repo(...).tmp_dir</c> does not read the directory a celery task's own <c>Repo</c> was made from). Every
/// other read, store or summary entry holds the data wherever, as before.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    private bool? _keepsReceiverData;

    /// <summary>Whether this is an instance method whose receiver is never rebound: what it reads through it is the receiver's.</summary>
    private bool KeepsReceiverData => _keepsReceiverData ??= ReceiverName is { } self && OnlyParameterBindings(_unit.Scope.BindingsOf(self));

    private static bool OnlyParameterBindings(IReadOnlyList<Binding> bindings)
    {
        for (var i = 0; i < bindings.Count; i++) // not LINQ: asked by the analyses of most methods returning source data
        {
            if (bindings[i].Kind != BindingKind.Parameter)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The origin as this function's summary keeps it: held wherever unless read through the receiver of a method that <see cref="KeepsReceiverData"/>.</summary>
    private TaintOrigin AsReturned(TaintOrigin origin) => origin.MadeAt is null || KeepsReceiverData ? origin : origin.Unmade();

    /// <summary>
    /// The construction whose object alone holds what a constructor stores into <paramref name="attribute"/> of the
    /// fact's <paramref name="owner"/> class (<see cref="ObjectConfinement.HoldsOwnData"/>), or null.
    /// </summary>
    private CallExpr? MadeAtOf(Receiver receiver, ClassInfo owner, string attribute) =>
        receiver.MadeAt is { } site && receiver.Made == owner && _program.Confinement.HoldsOwnData(owner, attribute) ? site : null;

    /// <summary>
    /// The source data <paramref name="callee"/> returns, as this call gets it: all of it on this method's own receiver;
    /// on a local holding only objects made at known constructions, none of what other constructions' objects alone
    /// hold; held wherever from then on.
    /// </summary>
    private TaintValue ReturnedSources(TaintUnit callee, Receiver receiver, CallExpr call, TaintValue sources)
    {
        if (!sources.HasMadeAt || (receiver.Kind == ReceiverKind.Own || IsOwnSubclassMethod(callee, call)) && KeepsReceiverData)
        {
            return sources;
        }
        return ReceiverSites(callee, call) is { } sites
            ? sources.Select(sites, static (o, sites) => o.HeldByObjectsOf(sites))
            : sources.Unmade();
    }

    /// <summary>
    /// <c>self.m()</c> in a base class's method calling a subclass's method on the same object (billiard's
    /// <c>_ConnectionBase.recv_bytes</c> calling <c>Connection._recv_bytes</c>): no instance attribute of that name in
    /// the hierarchy could hold another object's method.
    /// </summary>
    private bool IsOwnSubclassMethod(TaintUnit callee, CallExpr call) =>
        call.Func is AttributeExpr { Value: NameExpr self } method && SelfClass(self) is { } own
        && callee.TakesReceiver && !callee.IsClassMethod && callee.Function?.Owner is { } owner
        && _program.Index.DescendantsOf(own).Contains(owner)
        && !_program.ClassAndBases(owner).Any(c => c.InstanceAttributes.ContainsKey(method.Attr))
        && !_program.Index.DescendantsOf(own).Any(c => c.InstanceAttributes.ContainsKey(method.Attr));

    /// <summary>
    /// For <c>x.m(...)</c> (or a property <c>x.p</c>) whose callee is a method of the class chain of every object the
    /// local <c>x</c> may hold (<see cref="ObjectConfinement.ConstructionSites"/>), or the attribute <c>self.x</c> of a
    /// method that <see cref="KeepsReceiverData"/> (<see cref="ObjectConfinement.AttributeSites"/>; also a bound method
    /// kept as <c>self.f = self.x.m</c> and called as <c>self.f()</c>), and no instance attribute of that name that
    /// could hold another object's method: those constructions; else null.
    /// </summary>
    private CallExpr[]? ReceiverSites(TaintUnit callee, CallExpr call)
    {
        if (call.Func is not AttributeExpr method || !callee.TakesReceiver || callee.IsClassMethod || callee.Function?.Owner is not { } owner)
        {
            return null;
        }
        var (name, sites) = method.Value switch
        {
            NameExpr local when SelfClass(local) is null => (method.Attr, _program.Confinement.ConstructionSites(_unit, local.Id)),
            AttributeExpr { Value: NameExpr self } held when KeepsReceiverData && SelfClass(self) is { } holder => (method.Attr, _program.Confinement.AttributeSites(holder, held.Attr)),
            NameExpr self when KeepsReceiverData && SelfClass(self) is { } holder && _program.Confinement.BoundMethodSites(holder, method.Attr) is { } bound
                && bound.Method == callee.Function.Name => bound,
            _ => (method.Attr, null),
        };
        if (sites is null)
        {
            return null;
        }
        foreach (var site in sites)
        {
            var chain = _program.ClassAndBases(_program.Index.Constructions[site].Class);
            if (Array.IndexOf(chain, owner) < 0 || chain.Any(c => c.InstanceAttributes.ContainsKey(name)))
            {
                return null;
            }
        }
        return sites;
    }
}
