namespace PickleGuard.Pickle.Machine;

/// <summary>
/// A list, tuple, dict (keys and values alternate in <see cref="Items"/>), set or frozenset. At most
/// <see cref="PickleLimits.MaxRetainedItems"/> items are kept so that memory does not grow with the file;
/// <see cref="Count"/> is the real number of items (pairs for a dict).
/// </summary>
public sealed class PickleContainer(PickleValueKind kind)
{
    private PickleValue[]? _items;
    private int _retained;

    public PickleValueKind Kind { get; } = kind;

    /// <summary>The kept items (keys and values alternating for a dict).</summary>
    public IReadOnlyList<PickleValue> Items => _items is null ? Array.Empty<PickleValue>() : new ArraySegment<PickleValue>(_items, 0, _retained);

    public long Count { get; private set; }

    /// <summary>True when every item was kept.</summary>
    public bool IsComplete => _retained == (Kind == PickleValueKind.Dict ? Count * 2 : Count);

    internal void Add(PickleValue item, int maxRetained)
    {
        Count++;
        if (_retained < maxRetained)
        {
            Append(item);
        }
    }

    internal void AddPair(PickleValue key, PickleValue value, int maxRetained)
    {
        Count++;
        if (_retained + 1 < maxRetained)
        {
            Append(key);
            Append(value);
        }
    }

    private void Append(PickleValue item)
    {
        if (_items is null)
        {
            _items = new PickleValue[Kind == PickleValueKind.Dict ? 4 : 2];
        }
        else if (_retained == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_retained++] = item;
    }
}
