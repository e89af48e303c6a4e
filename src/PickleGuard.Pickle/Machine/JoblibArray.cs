namespace PickleGuard.Pickle.Machine;

/// <summary>
/// One joblib in-band array as a conversion keeps it: the wrapper's header and either the raw bytes (in chunks, so a
/// large array is never one huge allocation nor copied while it grows) or, for an object array, the value of the pickle
/// joblib wrote in its place.
/// </summary>
internal sealed class JoblibArray(JoblibArrayHeader header, long byteOffset)
{
    /// <summary>Chunk size of the raw bytes: a multiple of 3, so every chunk is encoded to base64 on its own.</summary>
    public const int ChunkBytes = 3 << 18;

    private readonly List<byte[]> _chunks = [];

    public JoblibArrayHeader Header { get; } = header;

    /// <summary>Offset of the BUILD after which the array was read.</summary>
    public long ByteOffset { get; } = byteOffset;

    /// <summary>The raw array bytes in stream order (every chunk but the last is <see cref="ChunkBytes"/> long).</summary>
    public IReadOnlyList<byte[]> Chunks => _chunks;

    public long Length { get; private set; }

    /// <summary>The object array joblib pickled in-band (the nested pickle's value); null for raw arrays.</summary>
    public PickleValue? Objects { get; set; }

    /// <summary>How many BUILDs of the same wrapper read an array (joblib replaces the wrapper after the first).</summary>
    public int Reads { get; set; } = 1;

    /// <summary>
    /// The buffer to read the next bytes into: at most <paramref name="remaining"/> and <see cref="ChunkBytes"/> bytes,
    /// allocated only as the data arrives.
    /// </summary>
    public Span<byte> NextChunk(long remaining)
    {
        var chunk = new byte[(int)Math.Min(remaining, ChunkBytes)];
        _chunks.Add(chunk);
        Length += chunk.Length;
        return chunk;
    }
}
