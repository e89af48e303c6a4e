namespace PickleGuard.Python;

/// <summary>Base of CPython's <c>ast.stmt</c> nodes.</summary>
public abstract class Stmt : Node
{
    protected Stmt(TextSpan span) : base(span)
    {
    }
}
