namespace PickleGuard.Python;

/// <summary>Base of every syntax tree node; keeps only its char span (line/column are computed on demand).</summary>
public abstract class Node
{
    protected Node(TextSpan span) => Span = span;

    public TextSpan Span { get; internal set; }

    public abstract void Accept(AstWalker walker);
}
