namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// An append-only list in fixed chunks of 64 K elements: growing never copies what is there, so a list of hundreds of
/// megabytes never needs twice its size during a resize (as <see cref="List{T}"/> would).
/// </summary>
internal sealed class ChunkedList<T>
{
    private const int ChunkBits = 16;
    private const int ChunkMask = (1 << ChunkBits) - 1;

    private T[][] _chunks = new T[4][];

    public int Count { get; private set; }

    public ref T this[int index] => ref _chunks[index >> ChunkBits][index & ChunkMask];

    public int Add(T item)
    {
        int index = Count;
        int chunk = index >> ChunkBits;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        (_chunks[chunk] ??= new T[1 << ChunkBits])[index & ChunkMask] = item;
        Count = index + 1;
        return index;
    }
}
