using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Whose class-wide facts the stores into an object of a known class are (docs/taint.md, design item 10): an
/// attribute a base class's <c>__init__</c> stores holds, on each object, what that object was made with, so a store
/// into an object made as <c>PullRequestResource(...)</c> is a fact of <c>PullRequestResource</c> — read by its methods,
/// its subclasses' and, as a fact of their descendants, its bases' — and not of the base, whose other subclasses
/// (mage-ai's <c>FileResource</c>) never run on that object.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// The receiver of <paramref name="cls"/>'s <c>__init__</c> (<paramref name="init"/>, null when generated) at
    /// <paramref name="call"/>, which makes an object of it: of a known class, unless the call is inside the recursive
    /// group of that <c>__init__</c> — a tree of objects each made from its parent's input (cfnlint's conditions:
    /// <c>Condition._init_condition</c> makes a <c>ConditionAnd</c>, whose <c>__init__</c> makes a <c>ConditionUnnammed</c>,
    /// whose <c>__init__</c> calls <c>_init_condition</c>), where one fact per class made multiplied the group's summary
    /// entries until its fixpoint no longer settled within its bound. Those keep the storing class's facts.
    /// </summary>
    private Receiver ConstructorReceiver(CallExpr call, ClassInfo cls, TaintUnit? init)
    {
        if (init is not null && _program.InGroup(init))
        {
            return ConstructorReceiver(call);
        }
        var ofCalledClass = call.Func is NameExpr callee && OwnClassOfClassMethod(callee) is not null;
        return ConstructorReceiver(call) with
        {
            Made = cls,
            OfCalledClass = ofCalledClass,
            MadeAt = !ofCalledClass && _program.Confinement.KeepsObjectsApart(cls) ? call : null,
        };
    }

    /// <summary>
    /// Whose class-wide fact a store into the receiver's attribute is, when a method of <paramref name="storer"/> made
    /// it (<c>self.model = model</c> in <c>Resource.__init__</c>), and whether it is a store on an object (its bases'
    /// methods then read it as a fact of their descendants, <see cref="TaintProgram.WriteSource"/>): the class of the
    /// object when it is known and <paramref name="storer"/> is in its chain (<see cref="Receiver.Made"/>), or this
    /// method's own class for source data a base's method stores through <c>self</c> (<c>super().__init__(request.data)</c>).
    /// Otherwise the storer's own fact.
    /// </summary>
    private (ClassInfo Owner, bool OnObject) FactOwner(Receiver receiver, ClassInfo storer)
    {
        var made = receiver.Made;
        // A store by a method of this method's own class through `self` stays its class-wide fact, as a direct one does.
        if (made is null && receiver.Kind == ReceiverKind.Own && _unit.Function?.Owner is { } own && own != storer)
        {
            made = own;
        }
        return made is not null && (made == storer || Array.IndexOf(_program.ClassAndBases(made), storer) >= 0) ? (made, true) : (storer, false);
    }

    /// <summary>
    /// Applies a classmethod's made stores (what it puts into objects it makes with <c>cls(p)</c>) at a call of it:
    /// facts of the class the call names (<c>PullRequestResource.build(data)</c>), of this method's class for
    /// <c>self.build(data)</c>; on this classmethod's own <c>cls</c>, its own made stores for its parameters; else, on
    /// a receiver of unknown class, of the class the classmethod belongs to.
    /// </summary>
    private void StoreMade(Dictionary<(ClassInfo Class, string Attribute), TraceLink> stores, TaintValue passed, CallExpr call)
    {
        var receiver = UnknownReceiver;
        if (call.Func is AttributeExpr { Value: NameExpr owner })
        {
            receiver = OwnClassOfClassMethod(owner) is { } own ? receiver with { Made = own, OfCalledClass = true }
                : receiver with { Made = SelfClass(owner) ?? NamedClass(owner) };
        }
        StoreAll(receiver, stores, passed, onObjects: true);
    }

    /// <summary>The project class <paramref name="name"/> denotes, when it denotes one and nothing else.</summary>
    private ClassInfo? NamedClass(NameExpr name)
    {
        ClassInfo? found = null;
        foreach (var value in _program.Resolver.Resolve(name, new EvalContext(_unit.Scope, name.Span.Start, _unit.Scope.Body)))
        {
            if (value is not ClassValue cls || found is not null && found != cls.Class)
            {
                return null;
            }
            found = cls.Class;
        }
        return found;
    }
}
