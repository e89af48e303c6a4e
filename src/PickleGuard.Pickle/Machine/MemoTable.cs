namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The unpickler's memo: dense array for the small indexes picklers write, a dictionary for anything sparse or
/// huge (a LONG_BINPUT of 4e9 must not allocate 4e9 slots).
/// </summary>
internal sealed class MemoTable
{
    private const int DenseLimit = 1 << 24;

    private PickleValue[] _dense = new PickleValue[64];
    private bool[] _present = new bool[64];
    private Dictionary<long, PickleValue>? _sparse;

    public long Count { get; private set; }

    public bool TryGet(long index, out PickleValue value)
    {
        if ((ulong)index < (ulong)_dense.Length)
        {
            value = _dense[index];
            return _present[index];
        }

        if (_sparse is not null && _sparse.TryGetValue(index, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    public void Set(long index, PickleValue value)
    {
        if (index < DenseLimit)
        {
            if (index >= _dense.Length)
            {
                int size = _dense.Length;
                while (size <= index)
                {
                    size *= 2;
                }

                Array.Resize(ref _dense, size);
                Array.Resize(ref _present, size);
            }

            if (!_present[index])
            {
                _present[index] = true;
                Count++;
            }

            _dense[index] = value;
            return;
        }

        _sparse ??= [];
        if (_sparse.TryAdd(index, value))
        {
            Count++;
        }
        else
        {
            _sparse[index] = value;
        }
    }
}
