namespace PickleGuard.Python;

/// <summary>Base of CPython's <c>ast.pattern</c> nodes.</summary>
public abstract class Pattern : Node
{
    protected Pattern(TextSpan span) : base(span)
    {
    }
}
