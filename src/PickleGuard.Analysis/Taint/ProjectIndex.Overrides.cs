using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A method a class leaves to its subclasses, called on <c>self</c>: <c>self.loads(data)</c> in a base serializer's
/// <c>deserialize</c>, with <c>def loads(self, data): raise NotImplementedError</c>, runs each subclass's
/// <c>loads</c>. Only for abstract methods (<see cref="FunctionInfo.IsAbstract"/>): a concrete one is taken for what
/// runs — following every override of every call on <c>self</c> in the resolver cost a third more time on the stdlib
/// and kept Django's fixpoint from settling.
/// </summary>
internal sealed partial class ProjectIndex
{
    private const int MaxOverrides = 16;

    /// <summary>The call is <c>self.m(...)</c> on the receiver parameter of the method it is in.</summary>
    private static bool IsReceiverCall(CallSite site) =>
        site.Call.Func is AttributeExpr { Value: NameExpr receiver }
        && site.Scope.BindingsOf(receiver.Id) is [{ Kind: BindingKind.Parameter, SelfOf: not null, SelfIsClass: false }];

    /// <summary>Adds the project's overrides of <paramref name="method"/> in subclasses of its class (at most <see cref="MaxOverrides"/>).</summary>
    private void AddOverrides(CallInfo info, FunctionInfo method, ValueResolver resolver)
    {
        var added = 0;
        foreach (var subclass in ClassesDefining(method.Name))
        {
            if (subclass == method.Owner || Array.IndexOf(resolver.ClassAndBases(subclass), method.Owner) < 1)
            {
                continue;
            }
            foreach (var binding in subclass.BodyScope.BindingsOf(method.Name))
            {
                if (binding is { Kind: BindingKind.FunctionDef, Function: { } function } && UnitOf.TryGetValue(function, out var unit))
                {
                    info.AddFunction(unit, unit.TakesReceiver);
                }
            }
            if (++added == MaxOverrides)
            {
                return;
            }
        }
    }
}
