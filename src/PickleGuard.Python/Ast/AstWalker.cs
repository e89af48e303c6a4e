namespace PickleGuard.Python;

public abstract partial class AstWalker
{
    /// <summary>Visits one node (nothing for null); the entry point for walking a tree.</summary>
    public void Walk(Node? node) => node?.Accept(this);

    protected void WalkList<T>(IReadOnlyList<T?> nodes)
        where T : Node
    {
        // The parser stores every list as an array: indexing it directly avoids two interface calls per element.
        if (nodes is T?[] array)
        {
            foreach (T? node in array)
            {
                node?.Accept(this);
            }

            return;
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            nodes[i]?.Accept(this);
        }
    }
}
