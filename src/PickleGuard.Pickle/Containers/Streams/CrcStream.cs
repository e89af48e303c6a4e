namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// Computes the CRC-32 (zip's and gzip's) and length of everything read through it; does not own the inner stream.
/// <see cref="System.IO.Hashing.Crc32"/> folds 64 bytes a step with carry-less multiplication where the processor has
/// it: every member of a zip is checked, and eight bytes a step with tables (the wheels under the standard library)
/// cost more than half of inflating them.
/// </summary>
internal sealed class CrcStream(Stream inner) : Stream
{
    private readonly System.IO.Hashing.Crc32 _crc = new();

    public uint Crc => _crc.GetCurrentHashAsUInt32();

    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _crc.Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    /// <summary>Reads what is left so that <see cref="Crc"/> covers the whole member.</summary>
    public void Drain()
    {
        Span<byte> buffer = stackalloc byte[8192];
        while (Read(buffer) > 0)
        {
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
