namespace PickleGuard.Pickle.Machine;

/// <summary>
/// A list, tuple, dict (keys and values alternate in <see cref="Items"/>), set or frozenset. At most
/// <see cref="PickleLimits.MaxRetainedItems"/> items are kept so that memory does not grow with the file;
/// <see cref="Count"/> is the real number of items (pairs for a dict).
/// </summary>
public sealed class PickleContainer(PickleValueKind kind)
{
    public PickleValueKind Kind { get; } = kind;

    public List<PickleValue> Items { get; } = [];

    public long Count { get; private set; }

    /// <summary>True when every item was kept.</summary>
    public bool IsComplete => Items.Count == (Kind == PickleValueKind.Dict ? Count * 2 : Count);

    internal void Add(PickleValue item, int maxRetained)
    {
        Count++;
        if (Items.Count < maxRetained)
        {
            Items.Add(item);
        }
    }

    internal void AddPair(PickleValue key, PickleValue value, int maxRetained)
    {
        Count++;
        if (Items.Count + 1 < maxRetained)
        {
            Items.Add(key);
            Items.Add(value);
        }
    }
}
