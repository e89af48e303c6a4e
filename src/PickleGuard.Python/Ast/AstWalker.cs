namespace PickleGuard.Python;

public abstract partial class AstWalker
{
    /// <summary>Visits one node (nothing for null); the entry point for walking a tree.</summary>
    public void Walk(Node? node) => node?.Accept(this);

    protected void WalkList<T>(IReadOnlyList<T?> nodes)
        where T : Node
    {
        for (int i = 0; i < nodes.Count; i++)
        {
            nodes[i]?.Accept(this);
        }
    }
}
