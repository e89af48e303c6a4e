using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A method of a protocol (<c>class Streamable(Protocol)</c>, <c>typing</c>'s or <c>typing_extensions</c>'), called on
/// an object or class known only by it (an annotation naming it, or a type variable bound to it: docarray's
/// <c>cls.from_bytes(...)</c> with <c>cls: Type[T]</c>, <c>T = TypeVar("T", bound=Streamable)</c>): a protocol is a
/// structural type, which its implementations need not name as a base, so the project classes defining that method and
/// every other method the protocol declares (in their chain) run, as an abstract method's overrides do. Only the
/// definers of the called name are looked at, never every class.
/// </summary>
internal sealed partial class ProjectIndex
{
    /// <summary>Adds the implementations of the protocol method <paramref name="name"/> of <paramref name="protocol"/> (at most <see cref="MaxOverrides"/>).</summary>
    private void AddImplementations(ref CallInfo? info, ClassInfo protocol, string name, ValueResolver resolver)
    {
        if (!IsProtocol(protocol, resolver))
        {
            return;
        }
        var added = 0;
        foreach (var candidate in ClassesDefining(name))
        {
            // The protocol's own subclasses are its overrides already (AddSubclassMethods); another protocol only declares.
            if (Array.IndexOf(resolver.ClassAndBases(candidate), protocol) >= 0 || IsProtocol(candidate, resolver)
                || !DefinesMethodsOf(candidate, protocol, resolver))
            {
                continue;
            }
            AddOwnMethods(ref info, candidate, name);
            if (++added == MaxOverrides)
            {
                return;
            }
        }
    }

    /// <summary>Whether a base of <paramref name="cls"/> is <c>typing.Protocol</c> (also subscripted, <c>Protocol[T]</c>).</summary>
    private static bool IsProtocol(ClassInfo cls, ValueResolver resolver)
    {
        var bases = resolver.Bases(cls);
        for (var i = 0; i < bases.Count; i++)
        {
            if (bases[i] is ApiValue { Path: "typing.Protocol" or "typing_extensions.Protocol" })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the chain of <paramref name="cls"/> defines every method the chain of <paramref name="protocol"/> declares.</summary>
    private static bool DefinesMethodsOf(ClassInfo cls, ClassInfo protocol, ValueResolver resolver)
    {
        var chain = resolver.ClassAndBases(cls);
        foreach (var declaring in resolver.ClassAndBases(protocol))
        {
            foreach (var member in declaring.BodyScope.Names)
            {
                if (declaring.BodyScope.BindingsOf(member).Any(binding => binding.Kind == BindingKind.FunctionDef)
                    && !chain.Any(owner => owner.BodyScope.Binds(member)))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
