namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// The little the container layer evaluates of a pickle: enough literals, tuples, lists and globals to read torch's
/// legacy record counts and storage records. Anything else is <see cref="WalkValueKind.Opaque"/>.
/// </summary>
internal sealed class WalkValue(WalkValueKind kind)
{
    public static WalkValue Opaque { get; } = new(WalkValueKind.Opaque);

    public WalkValueKind Kind { get; } = kind;

    public long Integer { get; init; }

    /// <summary>The text of a string, or <c>module.name</c> of a global.</summary>
    public string? Text { get; init; }

    /// <summary>Tuple/list items, or dict keys and values interleaved.</summary>
    public List<WalkValue>? Items { get; init; }
}

internal enum WalkValueKind
{
    Opaque,
    None,
    Bool,
    Integer,
    String,
    Tuple,
    List,
    Dict,
    Global,
    Call,
}
