namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// The little the container layer evaluates of a pickle: enough literals, tuples, dicts, globals and calls to read
/// joblib's array wrappers and torch's legacy storage records. Anything else is <see cref="WalkValueKind.Opaque"/>.
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

    /// <summary>For a call: what was called and with which argument tuple.</summary>
    public WalkValue? Callable { get; init; }

    public WalkValue? Arguments { get; init; }

    /// <summary>For a call: the state given by BUILD.</summary>
    public WalkValue? State { get; set; }

    public WalkValue? Lookup(string key)
    {
        if (Kind != WalkValueKind.Dict || Items is null)
        {
            return null;
        }

        for (var i = 0; i + 1 < Items.Count; i += 2)
        {
            if (Items[i].Kind == WalkValueKind.String && Items[i].Text == key)
            {
                return Items[i + 1];
            }
        }

        return null;
    }

    public bool IsCallOf(string nameSuffix) =>
        Kind == WalkValueKind.Call && Callable?.Kind == WalkValueKind.Global &&
        Callable.Text!.EndsWith(nameSuffix, StringComparison.Ordinal);
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
