namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// A read-only view of a seekable stream with some ranges cut out (joblib's in-band array bytes), so the pickle scanner
/// sees only opcodes. <see cref="ToOriginalOffset"/> maps offsets in the view back to the underlying stream.
/// </summary>
internal sealed class ExcisedStream : Stream
{
    private readonly Stream inner;
    private readonly (long Start, long Length)[] cuts;
    private readonly long length;
    private long position;

    /// <param name="cuts">Non-overlapping ranges of <paramref name="inner"/>, in increasing order.</param>
    public ExcisedStream(Stream inner, IEnumerable<(long Start, long Length)> cuts)
    {
        this.inner = inner;
        this.cuts = cuts.ToArray();
        length = inner.Length - this.cuts.Sum(c => c.Length);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => position;
        set => position = Math.Clamp(value, 0, length);
    }

    /// <summary>The offset in the underlying stream of byte <paramref name="offset"/> of this view.</summary>
    public long ToOriginalOffset(long offset)
    {
        var original = offset;
        foreach (var (start, cutLength) in cuts)
        {
            if (start > original)
            {
                break;
            }

            original += cutLength;
        }

        return original;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (position >= length || buffer.IsEmpty)
        {
            return 0;
        }

        var original = ToOriginalOffset(position);
        // Read at most up to the next cut, so a single read never spans one.
        var limit = inner.Length;
        foreach (var (start, _) in cuts)
        {
            if (start > original)
            {
                limit = start;
                break;
            }
        }

        var count = (int)Math.Min(buffer.Length, Math.Min(limit - original, length - position));
        inner.Position = original;
        var read = inner.Read(buffer[..count]);
        position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };
        return position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
