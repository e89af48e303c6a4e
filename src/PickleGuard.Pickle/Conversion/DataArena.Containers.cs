namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Container items: each container owns a contiguous run of 4-byte references in an item chunk, after a two-int
/// header (count, capacity); its payload in the value table says where that header is (chunk index, offset). A
/// container that grows after other values were added (APPENDS in batches, SETITEMS on a memoized dict) moves to the
/// end with room to double, so appending stays amortised O(1) without a second level of indirection.
/// </summary>
internal sealed partial class DataArena
{
    private const int ItemChunkSize = 1 << 20;
    private const int Header = 2;

    private readonly List<int[]> _itemChunks = [];
    private int _itemsUsed = ItemChunkSize;

    public int AddContainer(ArenaKind kind, ReadOnlySpan<int> items)
    {
        var (chunk, at) = Allocate(items.Length);
        var block = _itemChunks[chunk];
        block[at] = items.Length;
        block[at + 1] = items.Length;
        items.CopyTo(block.AsSpan(at + Header));
        return AddValue(kind, ((long)chunk << 32) | (uint)at);
    }

    /// <summary>The items of a container (keys and values alternating for a dict).</summary>
    public ReadOnlySpan<int> Items(int reference)
    {
        long payload = _payloads[reference];
        var block = _itemChunks[(int)(payload >> 32)];
        int at = (int)(uint)payload;
        return block.AsSpan(at + Header, block[at]);
    }

    public void Append(int container, ReadOnlySpan<int> items)
    {
        ref long payload = ref _payloads[container];
        int chunk = (int)(payload >> 32);
        int at = (int)(uint)payload;
        var block = _itemChunks[chunk];
        int count = block[at];
        int wanted = count + items.Length;
        if (wanted > block[at + 1])
        {
            // Extend in place when the run is the last one of the current shared chunk and there is room, else move it.
            bool last = chunk == _itemChunks.Count - 1 && block.Length == ItemChunkSize && at + Header + block[at + 1] == _itemsUsed;
            if (last && at + Header + wanted <= ItemChunkSize)
            {
                _itemsUsed = at + Header + wanted;
                block[at + 1] = wanted;
            }
            else
            {
                int capacity = Math.Max(wanted, count * 2);
                var (movedChunk, movedAt) = Allocate(capacity);
                var moved = _itemChunks[movedChunk];
                block.AsSpan(at + Header, count).CopyTo(moved.AsSpan(movedAt + Header));
                moved[movedAt + 1] = capacity;
                payload = ((long)movedChunk << 32) | (uint)movedAt;
                (block, at) = (moved, movedAt);
            }
        }

        items.CopyTo(block.AsSpan(at + Header + count));
        block[at] = wanted;
    }

    /// <summary>Room for a header and <paramref name="capacity"/> items: in the current shared chunk, or a chunk of its own when large.</summary>
    private (int Chunk, int At) Allocate(int capacity)
    {
        int size = capacity + Header;
        if (size > ItemChunkSize / 4)
        {
            // The next small run opens a fresh shared chunk (see the length check below), never this one.
            _itemChunks.Add(new int[size]);
            return (_itemChunks.Count - 1, 0);
        }

        if (_itemChunks.Count == 0 || _itemChunks[^1].Length != ItemChunkSize || _itemsUsed + size > ItemChunkSize)
        {
            _itemChunks.Add(new int[ItemChunkSize]);
            _itemsUsed = 0;
        }

        int at = _itemsUsed;
        _itemsUsed += size;
        return (_itemChunks.Count - 1, at);
    }
}
