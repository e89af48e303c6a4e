namespace PickleGuard.Python;

/// <summary>Base of CPython's <c>ast.expr</c> nodes.</summary>
public abstract class Expr : Node
{
    protected Expr(TextSpan span) : base(span)
    {
    }
}
