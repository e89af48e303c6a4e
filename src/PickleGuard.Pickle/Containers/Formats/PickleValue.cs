namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// The little the container layer evaluates of a pickle: enough literals, tuples, dicts, globals and calls to read
/// joblib's array wrappers and torch's legacy storage records. Anything else is <see cref="PickleValueKind.Opaque"/>.
/// </summary>
internal sealed class PickleValue(PickleValueKind kind)
{
    public static PickleValue Opaque { get; } = new(PickleValueKind.Opaque);

    public static PickleValue Mark { get; } = new(PickleValueKind.Mark);

    public PickleValueKind Kind { get; } = kind;

    public long Integer { get; init; }

    /// <summary>The text of a string, or <c>module.name</c> of a global.</summary>
    public string? Text { get; init; }

    /// <summary>Tuple/list items, or dict keys and values interleaved.</summary>
    public List<PickleValue>? Items { get; init; }

    /// <summary>For a call: what was called and with which argument tuple.</summary>
    public PickleValue? Callable { get; init; }

    public PickleValue? Arguments { get; init; }

    /// <summary>For a call: the state given by BUILD.</summary>
    public PickleValue? State { get; set; }

    public PickleValue? Lookup(string key)
    {
        if (Kind != PickleValueKind.Dict || Items is null)
        {
            return null;
        }

        for (var i = 0; i + 1 < Items.Count; i += 2)
        {
            if (Items[i].Kind == PickleValueKind.String && Items[i].Text == key)
            {
                return Items[i + 1];
            }
        }

        return null;
    }

    public bool IsCallOf(string nameSuffix) =>
        Kind == PickleValueKind.Call && Callable?.Kind == PickleValueKind.Global &&
        Callable.Text!.EndsWith(nameSuffix, StringComparison.Ordinal);
}

internal enum PickleValueKind
{
    Opaque,
    Mark,
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
