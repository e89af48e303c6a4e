using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Type variables in annotations: <c>cls: Type[T]</c> with <c>T = TypeVar("T", bound=Streamable)</c> (docarray's
/// <c>_from_binary_stream</c>) holds a class the bound admits, so the annotation is read as if it named the bound
/// (<see cref="AnnotatedInstances"/>): an abstract base or a protocol gives its implementations, a concrete class nothing.
/// A variable without a bound (or with constraints only) says nothing.
/// </summary>
public sealed partial class ValueResolver
{
    /// <summary>
    /// The <c>bound=</c> of the type variable <paramref name="named"/> denotes, with the context to resolve it in: a name
    /// bound once, by <c>T = TypeVar(..., bound=B)</c> in scope or imported from a scanned module where it is bound so;
    /// else null.
    /// </summary>
    private (Expr Bound, EvalContext Context)? TypeVariableBound(Expr named, EvalContext context)
    {
        if (named is not NameExpr name || ReachingBindings(name.Id, context) is not [var binding])
        {
            return null;
        }
        if (binding is { Kind: BindingKind.ImportFrom, ImportedName: { } imported }
            && _project.LongestModulePrefix(imported, out var variable) is { } module && variable.Length > 0
            && module.ModuleScope.BindingsOf(variable) is [var defined])
        {
            binding = defined;
        }
        return binding is { Kind: BindingKind.Assignment, Augments: false, Value: CallExpr { Func: NameExpr { Id: "TypeVar" } or AttributeExpr { Attr: "TypeVar" } } call }
            && call.Keywords.FirstOrDefault(keyword => keyword.Arg == "bound") is { } bound
            && IsTypeVariableMaker(call, EvalContext.Of(binding))
                ? (bound.Value, EvalContext.Of(binding))
                : null;
    }

    private bool IsTypeVariableMaker(CallExpr call, EvalContext context)
    {
        foreach (var value in Resolve(call.Func, context))
        {
            if (value is ApiValue { Path: "typing.TypeVar" or "typing_extensions.TypeVar" })
            {
                return true;
            }
        }
        return false;
    }
}
