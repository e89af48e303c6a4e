using SharpCompress.Compressors.Xz;

namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// Decodes concatenated .xz streams (with the zero stream padding allowed between them) as one, as Python's lzma module
/// (joblib.load of a .xz file) does; a single <see cref="XZStream"/> stops after the first stream.
/// </summary>
internal sealed class ConcatenatedXzStream(Stream input) : Stream
{
    private static ReadOnlySpan<byte> Magic => [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    private Stream? current = new XZStream(input);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (current is not null && !buffer.IsEmpty)
        {
            int read = current.Read(buffer);
            if (read > 0)
            {
                return read;
            }

            current.Dispose();
            current = NextStream();
        }

        return 0;
    }

    private XZStream? NextStream()
    {
        // Stream padding is zero bytes; anything else must be the next stream's magic (or the end).
        int b;
        while ((b = input.ReadByte()) == 0)
        {
        }

        if (b < 0)
        {
            return null;
        }

        var head = new byte[Magic.Length];
        head[0] = (byte)b;
        int got = 1 + input.ReadAtLeast(head.AsSpan(1), head.Length - 1, throwOnEndOfStream: false);
        if (got < head.Length || !head.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException("bytes after an xz stream are neither padding nor another xz stream");
        }

        return new XZStream(new PrefixedStream(head, head.Length, input));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            current?.Dispose();
            current = null;
        }

        base.Dispose(disposing);
    }
}
