namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// Wraps a decompressing stream: charges everything it produces to the shared budget and stops a stream whose
/// output/input ratio marks it as a bomb.
/// </summary>
internal sealed class BudgetedStream(
    string label, Stream decoded, Func<long> compressedBytesRead, DecompressionBudget budget, ContainerLimits limits)
    : Stream
{
    private long produced;

    public long Produced => produced;

    /// <summary>The first decoding error or limit hit, kept because a reader above may swallow it.</summary>
    public Exception? Fault { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Fault is not null)
        {
            throw Fault;
        }

        try
        {
            var read = decoded.Read(buffer);
            produced += read;
            budget.Charge(read);
            if (produced > limits.RatioCheckAfterBytes)
            {
                var input = Math.Max(1, compressedBytesRead());
                if (produced / (double)input > limits.MaxCompressionRatio)
                {
                    throw new ContainerLimitException(
                        $"compression ratio passed {limits.MaxCompressionRatio:0}:1 ({produced} bytes from {input})");
                }
            }

            return read;
        }
        catch (ContainerLimitException ex)
        {
            Fault = ex;
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Name the decoder: the exception surfaces wherever the reader above happened to be.
            Fault = new InvalidDataException($"{label} data is corrupt or truncated: {ex.Message}", ex);
            throw Fault;
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            decoded.Dispose();
        }

        base.Dispose(disposing);
    }
}
