namespace PickleGuard.Python;

/// <summary>Base of every syntax tree node; keeps only its char span (line/column are computed on demand).</summary>
public abstract class Node
{
    // A start offset needs 30 bits (a .NET string is shorter than 2^30 chars, and an offset is never negative), so the
    // top two bits of the stored start hold a small value of the node's own (an expression's ExprContext, a string's
    // u prefix). NameExpr and AttributeExpr, about half of a tree's nodes, are then 8 bytes smaller.
    private const int StartBits = 30;
    private const int StartMask = (1 << StartBits) - 1;

    private int _startAndTag;
    private readonly int _length;

    protected Node(TextSpan span)
    {
        _startAndTag = span.Start;
        _length = span.Length;
    }

    public TextSpan Span => new(_startAndTag & StartMask, _length);

    /// <summary>A value from 0 to 3 that a node kind stores beside its start (see the fields above).</summary>
    private protected int Tag
    {
        get => (int)((uint)_startAndTag >> StartBits);
        set => _startAndTag = (_startAndTag & StartMask) | (value << StartBits);
    }

    public abstract void Accept(AstWalker walker);
}
