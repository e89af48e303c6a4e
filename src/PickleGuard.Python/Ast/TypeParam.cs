namespace PickleGuard.Python;

/// <summary>Base of CPython's <c>ast.type_param</c> nodes.</summary>
public abstract class TypeParam : Node
{
    protected TypeParam(TextSpan span) : base(span)
    {
    }
}
