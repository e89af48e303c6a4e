namespace PickleGuard.Pickle.Machine;

/// <summary>
/// A list, tuple, dict (keys and values alternate in <see cref="Items"/>), set or frozenset. At most
/// <see cref="PickleLimits.MaxRetainedItems"/> items are kept so that memory does not grow with the file;
/// <see cref="Count"/> is the real number of items (pairs for a dict).
/// </summary>
public sealed class PickleContainer(PickleValueKind kind)
{
    /// <summary>A recycled container keeps an array up to this length (cleared) for its next use.</summary>
    private const int RecycledArrayLength = 8;

    // The first two items live inline: most containers in large pickles are small tuples and one-pair dicts, and
    // one allocation instead of two per container is a large part of the scan's cost.
    private PickleValue _first;
    private PickleValue _second;
    private PickleValue[]? _more;
    private int _retained;

    public PickleValueKind Kind { get; private set; } = kind;

    /// <summary>The kept items (keys and values alternating for a dict).</summary>
    public IReadOnlyList<PickleValue> Items => _retained switch
    {
        0 => Array.Empty<PickleValue>(),
        1 => [_first],
        2 => [_first, _second],
        _ => new ArraySegment<PickleValue>(_more!, 0, _retained),
    };

    public long Count { get; private set; }

    /// <summary>
    /// True once something other than the machine's stack may hold this container (another container, a call, a
    /// result, a DUP copy). Only a container that was never shared can be recycled by the scan-mode machine.
    /// </summary>
    internal bool IsShared { get; set; }

    /// <summary>True when every item was kept.</summary>
    public bool IsComplete => _retained == (Kind == PickleValueKind.Dict ? Count * 2 : Count);

    /// <summary>Empties a container that nothing references any more so that the machine can use it again.</summary>
    internal void Recycle(PickleValueKind kind)
    {
        Kind = kind;
        _first = default;
        _second = default;
        if (_more is { Length: <= RecycledArrayLength })
        {
            Array.Clear(_more); // kept for the next use: a recycled tuple made its array again each time
        }
        else
        {
            _more = null;
        }

        _retained = 0;
        Count = 0;
        IsShared = false;
    }

    internal void Add(PickleValue item, int maxRetained)
    {
        Count++;
        if (_retained < maxRetained)
        {
            Append(item);
        }
    }

    /// <summary>
    /// Adds a run of items; once the container is full the rest are only counted (one add, not one per item).
    /// Returns how many of them were kept (the first ones).
    /// </summary>
    internal int AddRange(ReadOnlySpan<PickleValue> items, int maxRetained)
    {
        int kept = Math.Min(items.Length, Math.Max(0, maxRetained - _retained));
        int retainedAfter = _retained + kept;
        foreach (var item in items[..kept])
        {
            // Sized at what the run brings: a tuple gets all its items at once, and a 3-tuple's eight-slot array was
            // half of what a pickle of many small tuples allocated.
            Append(item, retainedAfter);
        }

        Count += items.Length;
        return kept;
    }

    /// <summary>Adds a key/value pair; returns false when the pair was only counted.</summary>
    internal bool AddPair(PickleValue key, PickleValue value, int maxRetained)
    {
        Count++;
        if (_retained + 1 < maxRetained)
        {
            Append(key);
            Append(value);
            return true;
        }

        return false;
    }

    private void Append(PickleValue item, int capacity = 8)
    {
        if (item.Reference is PickleContainer nested)
        {
            nested.IsShared = true;
        }

        switch (_retained)
        {
            case 0:
                _first = item;
                break;
            case 1:
                _second = item;
                break;
            case 2:
                // The third item moves all of them to the array (one kept from an earlier use when it has room).
                if (_more is not { Length: >= 3 })
                {
                    _more = new PickleValue[Math.Max(3, capacity)];
                }

                _more[0] = _first;
                _more[1] = _second;
                _more[2] = item;
                break;
            default:
                if (_retained == _more!.Length)
                {
                    Array.Resize(ref _more, _more.Length * 2);
                }

                _more[_retained] = item;
                break;
        }

        _retained++;
    }
}
