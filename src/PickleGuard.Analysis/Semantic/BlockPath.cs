namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// The chain of statement lists (blocks) enclosing a statement, innermost first. A binding made in block B
/// dominates a later use whose chain contains B: structured code always runs B's earlier statements first.
/// </summary>
public sealed class BlockPath
{
    private BlockPath(int id, BlockPath? parent, bool dead)
    {
        Id = id;
        Parent = parent;
        Dead = dead;
    }

    public int Id { get; }

    public BlockPath? Parent { get; }

    /// <summary>The block, or one enclosing it, is a branch its literal condition never takes (<see cref="LiteralConditions"/>).</summary>
    public bool Dead { get; }

    public static BlockPath Root(int id) => new(id, null, false);

    public BlockPath Push(int id, bool dead = false) => new(id, this, dead || Dead);

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
