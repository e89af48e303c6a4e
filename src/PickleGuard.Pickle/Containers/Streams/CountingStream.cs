namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>Counts the bytes a decoder pulls from its compressed input (for the ratio check); does not own the input.</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    private const int InputBufferBytes = 64 << 10;

    /// <summary>
    /// A count of what a decoder takes from <paramref name="input"/>, which is read in blocks below it: SharpCompress's
    /// bzip2 and LZMA decoders read a byte at a time, a system call each from an unbuffered file (an 8 MB .pkl.bz2
    /// took 17.9 s, an 8 MB .lzma minutes). The count stays the bytes the decoder took, not the blocks read ahead.
    /// </summary>
    public static CountingStream OverBuffered(Stream input)
    {
        // A small member (a wheel holds thousands) gets a buffer of its own size, not 64 KiB each.
        var size = input.CanSeek ? (int)Math.Clamp(input.Length - input.Position, 1, InputBufferBytes) : InputBufferBytes;
        return new(new BufferedStream(input, size));
    }

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
        BytesRead += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
