namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Container items: each container owns a contiguous span of 4-byte references in an item chunk. A container that
/// grows after other values were added (APPENDS in batches, SETITEMS on a memoized dict) moves its span to the end
/// with room to double, so appending stays amortised O(1) and spans never need a second level of indirection.
/// </summary>
internal sealed partial class DataArena
{
    private const int ItemChunkSize = 1 << 20;

    private readonly ChunkedList<ItemSpan> _spans = new();
    private readonly List<int[]> _itemChunks = [];
    private int _itemsUsed = ItemChunkSize;

    public int AddContainer(ArenaKind kind, ReadOnlySpan<int> items)
    {
        var span = Allocate(items.Length);
        items.CopyTo(_itemChunks[span.Chunk].AsSpan(span.Offset));
        span.Count = items.Length;
        int index = _spans.Add(span);
        return AddValue(kind, index);
    }

    /// <summary>The items of a container (keys and values alternating for a dict).</summary>
    public ReadOnlySpan<int> Items(int reference)
    {
        ref var span = ref _spans[(int)_payloads[reference]];
        return _itemChunks[span.Chunk].AsSpan(span.Offset, span.Count);
    }

    public void Append(int container, ReadOnlySpan<int> items)
    {
        ref var span = ref _spans[(int)_payloads[container]];
        if (span.Count + items.Length > span.Capacity)
        {
            // Extend in place when the span is the last one of the current chunk and there is room, else move it.
            bool last = span.Chunk == _itemChunks.Count - 1 && span.Offset + span.Capacity == _itemsUsed;
            int wanted = span.Count + items.Length;
            if (last && span.Offset + wanted <= _itemChunks[span.Chunk].Length && _itemChunks[span.Chunk].Length == ItemChunkSize)
            {
                _itemsUsed = span.Offset + wanted;
                span.Capacity = wanted;
            }
            else
            {
                var moved = Allocate(Math.Max(wanted, span.Count * 2));
                _itemChunks[span.Chunk].AsSpan(span.Offset, span.Count).CopyTo(_itemChunks[moved.Chunk].AsSpan(moved.Offset));
                moved.Count = span.Count;
                span = moved;
            }
        }

        items.CopyTo(_itemChunks[span.Chunk].AsSpan(span.Offset + span.Count));
        span.Count += items.Length;
    }

    private ItemSpan Allocate(int capacity)
    {
        if (capacity > ItemChunkSize / 4)
        {
            _itemChunks.Add(new int[capacity]);
            // The next small span opens a fresh shared chunk (see the length check below), never this one.
            return new ItemSpan { Chunk = _itemChunks.Count - 1, Capacity = capacity };
        }

        if (_itemChunks.Count == 0 || _itemChunks[^1].Length != ItemChunkSize || _itemsUsed + capacity > ItemChunkSize)
        {
            _itemChunks.Add(new int[ItemChunkSize]);
            _itemsUsed = 0;
        }

        var span = new ItemSpan { Chunk = _itemChunks.Count - 1, Offset = _itemsUsed, Capacity = capacity };
        _itemsUsed += capacity;
        return span;
    }

    private struct ItemSpan
    {
        public int Chunk;
        public int Offset;
        public int Count;
        public int Capacity;
    }
}
