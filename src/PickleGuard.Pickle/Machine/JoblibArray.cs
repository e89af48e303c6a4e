namespace PickleGuard.Pickle.Machine;

/// <summary>
/// One joblib in-band array as a conversion keeps it: the wrapper's header and either the raw bytes (as segments kept in
/// memory or spilled to the store's temporary file, see <see cref="JoblibArrayStore"/>) or, for an object array, the
/// value of the pickle joblib wrote in its place.
/// </summary>
internal sealed class JoblibArray(JoblibArrayHeader header, long byteOffset)
{
    /// <summary>Most bytes in one segment: a multiple of 3, so every segment but the last is encoded to base64 on its own.</summary>
    public const int SegmentBytes = 3 << 18;

    private readonly List<JoblibArraySegment> _segments = [];

    public JoblibArrayHeader Header { get; } = header;

    /// <summary>Offset of the BUILD after which the array was read.</summary>
    public long ByteOffset { get; } = byteOffset;

    /// <summary>The raw array bytes in stream order; every segment but the last is <see cref="SegmentBytes"/> long.</summary>
    public IReadOnlyList<JoblibArraySegment> Segments => _segments;

    public long Length { get; private set; }

    /// <summary>The object array joblib pickled in-band (the nested pickle's value); null for raw arrays.</summary>
    public PickleValue? Objects { get; set; }

    /// <summary>How many BUILDs of the same wrapper read an array (joblib replaces the wrapper after the first).</summary>
    public int Reads { get; set; } = 1;

    internal void Add(JoblibArraySegment segment)
    {
        _segments.Add(segment);
        Length += segment.Length;
    }
}
