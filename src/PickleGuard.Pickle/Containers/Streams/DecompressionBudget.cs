namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>The decompressed bytes one scanned file may still produce, shared by every decoder opened for it.</summary>
internal sealed class DecompressionBudget(long maxBytes)
{
    public long MaxBytes { get; } = maxBytes;

    public long Used { get; private set; }

    /// <summary>Charges <paramref name="bytes"/>; throws <see cref="ContainerLimitException"/> past the limit.</summary>
    public void Charge(long bytes)
    {
        Used += bytes;
        if (Used > MaxBytes)
        {
            throw new ContainerLimitException($"decompressed output passed the limit of {MaxBytes} bytes");
        }
    }
}
