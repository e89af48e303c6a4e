namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// The chain of statement lists (blocks) enclosing a statement, innermost first. A binding made in block B
/// dominates a later use whose chain contains B: structured code always runs B's earlier statements first.
/// </summary>
public sealed class BlockPath
{
    private BlockPath(int id, BlockPath? parent)
    {
        Id = id;
        Parent = parent;
    }

    public int Id { get; }

    public BlockPath? Parent { get; }

    public static BlockPath Root(int id) => new(id, null);

    public BlockPath Push(int id) => new(id, this);

    public bool Contains(int id)
    {
        for (var p = this; p is not null; p = p.Parent)
        {
            if (p.Id == id)
            {
                return true;
            }
        }
        return false;
    }
}
