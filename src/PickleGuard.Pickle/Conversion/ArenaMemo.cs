namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// The memo of <see cref="ArenaBuilder"/>: 4-byte references in 64 K-entry chunks allocated where indexes land
/// (picklers write them in sequence); indexes past 2^26 go to a dictionary so that one huge PUT allocates nothing large.
/// </summary>
internal sealed class ArenaMemo
{
    private const int ChunkBits = 16;
    private const int DenseLimit = 1 << 26;
    private const int Absent = int.MaxValue;

    private int[]?[] _chunks = new int[]?[16];
    private Dictionary<long, int>? _sparse;

    /// <summary>Distinct indexes set so far (MEMOIZE stores at this index).</summary>
    public long Count { get; private set; }

    public void Set(long index, int reference)
    {
        if ((ulong)index >= DenseLimit)
        {
            _sparse ??= [];
            if (_sparse.TryAdd(index, reference))
            {
                Count++;
            }

            _sparse[index] = reference;
            return;
        }

        long chunk = index >> ChunkBits;
        if (chunk >= _chunks.Length)
        {
            Array.Resize(ref _chunks, (int)Math.Max(chunk + 1, _chunks.Length * 2L));
        }

        var entries = _chunks[chunk];
        if (entries is null)
        {
            entries = new int[1 << ChunkBits];
            Array.Fill(entries, Absent);
            _chunks[chunk] = entries;
        }

        ref int slot = ref entries[index & ((1 << ChunkBits) - 1)];
        if (slot == Absent)
        {
            Count++;
        }

        slot = reference;
    }

    public bool TryGet(long index, out int reference)
    {
        reference = Absent;
        if ((ulong)index >= DenseLimit)
        {
            return _sparse is not null && _sparse.TryGetValue(index, out reference);
        }

        long chunk = index >> ChunkBits;
        if (chunk < _chunks.Length && _chunks[chunk] is { } entries)
        {
            reference = entries[index & ((1 << ChunkBits) - 1)];
        }

        return reference != Absent;
    }
}
