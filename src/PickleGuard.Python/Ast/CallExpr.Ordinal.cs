namespace PickleGuard.Python;

public sealed partial class CallExpr
{
    /// <summary>
    /// The call's number among the calls its parser made (0, 1, 2, ... in the order they were built; not part of
    /// CPython's tree), or -1 for a node built elsewhere. Unique within one parse, so a semantic model can find a
    /// call's entry through an array instead of a hash table keyed by the node.
    /// </summary>
    public int Ordinal { get; init; } = -1;
}
