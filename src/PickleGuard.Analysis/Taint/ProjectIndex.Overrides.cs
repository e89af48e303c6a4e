using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A method a class leaves to its subclasses: <c>self.loads(data)</c> in a base serializer's <c>deserialize</c>, with
/// <c>def loads(self, data): raise NotImplementedError</c>, runs each subclass's <c>loads</c>, and so does
/// <c>encoder.loads(data)</c> on a parameter annotated with that class. Only for abstract methods
/// (<see cref="FunctionInfo.IsAbstract"/>) and for a method the class chain does not define at all (a mixin): for a
/// concrete one, only the overrides of the classes the project uses are added, to calls on <c>self</c>/<c>cls</c>
/// (ProjectIndex.ReceiverDispatch.cs) — following every override of every call on <c>self</c> in the resolver cost
/// a third more time on the stdlib and kept Django's fixpoint from settling.
/// </summary>
internal sealed partial class ProjectIndex
{
    private const int MaxOverrides = 16;

    /// <summary>The call is <c>self.m(...)</c> on the receiver parameter of the method it is in.</summary>
    private static bool IsReceiverCall(CallSite site) =>
        site.Call.Func is AttributeExpr { Value: NameExpr receiver }
        && site.Scope.BindingsOf(receiver.Id) is [{ Kind: BindingKind.Parameter, SelfOf: not null, SelfIsClass: false }];

    /// <summary>
    /// Adds the project's overrides of <paramref name="method"/> in subclasses of its class (at most <see cref="MaxOverrides"/>),
    /// and its implementations where the class is a protocol (ProjectIndex.Protocols.cs); on a parameter, those the
    /// callers' arguments cannot run are dropped once every call has resolved (ProjectIndex.ParameterDispatch.cs).
    /// </summary>
    private void AddOverrides(CallSite site, CallInfo info, FunctionInfo method, ValueResolver resolver)
    {
        CallInfo? target = info;
        var before = info.Functions.Length;
        AddSubclassMethods(ref target, method.Owner!, method.Name, resolver);
        AddImplementations(ref target, method.Owner!, method.Name, resolver);
        NoteParameterDispatch(site, info, before);
    }

    /// <summary>
    /// <c>self.m()</c> in a mixin or base class that defines no <c>m</c> anywhere in its chain, all of whose bases are
    /// project classes (so <c>m</c> can come from no library): the subclasses' <c>m</c> run, as for an abstract method.
    /// The same for <c>self.backend.m()</c> or <c>backend.m()</c> where the object is known only by an abstract class
    /// it was annotated with (optuna's storage: a <c>BaseJournalBackend</c> whose Redis subclass also implements a
    /// snapshot base, checked with <c>isinstance</c> before <c>load_snapshot()</c>).
    /// </summary>
    private void AddMixinMethods(ref CallInfo? info, CallSite site, ValueResolver resolver)
    {
        if (site.Call.Func is not AttributeExpr method || ClassesDefining(method.Attr).IsEmpty)
        {
            return;
        }
        CallInfo? mixin = null;
        // The class of `self` for a call on the receiver; for one on a name or on an attribute of `self`, the abstract
        // classes the object is annotated with (the resolver gives such an object no creation). Loops, not LINQ: this
        // runs for every call of a method some class defines whose callee resolved to nothing.
        if (IsReceiverCall(site))
        {
            if (site.Scope.BindingsOf(((NameExpr)method.Value).Id) is [{ SelfOf: { } cls }])
            {
                AddUndefinedMethods(ref mixin, cls, method.Attr, resolver);
            }
        }
        else if (method.Value is NameExpr or AttributeExpr { Value: NameExpr })
        {
            var receivers = resolver.Resolve(method.Value, EvalContext.At(site));
            for (var i = 0; i < receivers.Count; i++)
            {
                if (receivers[i] is InstanceValue { Creation: null, Class: var cls })
                {
                    AddUndefinedMethods(ref mixin, cls, method.Attr, resolver);
                }
            }
        }
        if (mixin is not null)
        {
            info = mixin;
        }
    }

    /// <summary>The subclasses' <paramref name="name"/> methods, when the chain of <paramref name="cls"/> defines none.</summary>
    private void AddUndefinedMethods(ref CallInfo? mixin, ClassInfo cls, string name, ValueResolver resolver)
    {
        if (!DefinedInChain(cls, name, resolver))
        {
            AddSubclassMethods(ref mixin, cls, name, resolver);
        }
    }

    /// <summary>Whether the class or a base defines <paramref name="name"/>, or a base is a library class that may.</summary>
    private static bool DefinedInChain(ClassInfo cls, string name, ValueResolver resolver)
    {
        foreach (var owner in resolver.ClassAndBases(cls))
        {
            if (owner.BodyScope.Binds(name) || !resolver.HasOnlyProjectBases(owner))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Adds the methods <paramref name="name"/> of the subclasses of <paramref name="cls"/> to <paramref name="info"/>, made (passing through) on the first one found.</summary>
    private void AddSubclassMethods(ref CallInfo? info, ClassInfo cls, string name, ValueResolver resolver)
    {
        var added = 0;
        foreach (var subclass in ClassesDefining(name))
        {
            // A class written without bases derives from nothing (no chain to look up: most definers of a common name).
            if (subclass == cls || subclass.Node.Bases.Count == 0 || Array.IndexOf(resolver.ClassAndBases(subclass), cls) < 1)
            {
                continue;
            }
            AddOwnMethods(ref info, subclass, name);
            if (++added == MaxOverrides)
            {
                return;
            }
        }
    }

    /// <summary>Adds the methods <paramref name="name"/> the body of <paramref name="cls"/> defines to <paramref name="info"/>, made (passing through) on the first one found.</summary>
    private void AddOwnMethods(ref CallInfo? info, ClassInfo cls, string name)
    {
        foreach (var binding in cls.BodyScope.BindingsOf(name))
        {
            if (binding is { Kind: BindingKind.FunctionDef, Function: { } function } && UnitOf(function) is { } unit)
            {
                (info ??= new CallInfo { PassesThrough = true }).AddFunction(unit, unit.TakesReceiver);
            }
        }
    }
}
