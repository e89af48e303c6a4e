namespace PickleGuard.Pickle.Containers;

/// <summary>
/// One node of an artifact's layout, as shown by <c>pickleguard inspect</c>: what the bytes were recognised as,
/// where they are and what they contain.
/// </summary>
public sealed class ContainerNode
{
    private readonly List<ContainerNode> children = [];

    public ContainerNode(ContainerFormat format, string name, long offset, long? size)
    {
        Format = format;
        Name = name;
        Offset = offset;
        Size = size;
    }

    public ContainerFormat Format { get; internal set; }

    /// <summary>The file path for the root, the member name for an archive member, a short label otherwise.</summary>
    public string Name { get; }

    /// <summary>Byte offset inside the parent's (decoded) bytes.</summary>
    public long Offset { get; }

    /// <summary>Size in bytes of this node's (decoded) content, when known.</summary>
    public long? Size { get; internal set; }

    /// <summary>A short remark: the reader view a member came from, a dtype, why it was not opened.</summary>
    public string? Note { get; internal set; }

    public IReadOnlyList<ContainerNode> Children => children;

    internal ContainerNode Add(ContainerFormat format, string name, long offset, long? size)
    {
        var child = new ContainerNode(format, name, offset, size);
        children.Add(child);
        return child;
    }
}
