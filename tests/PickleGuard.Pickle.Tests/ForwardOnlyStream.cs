namespace PickleGuard.Pickle.Tests;

/// <summary>
/// A read-only stream over bytes that cannot seek nor tell its length (a socket, a pipe): what a scan must handle
/// without buffering the whole input. Subclasses decide how each read is served.
/// </summary>
internal abstract class ForwardOnlyStream(byte[] data) : Stream
{
    protected MemoryStream Inner { get; } = new(data);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
