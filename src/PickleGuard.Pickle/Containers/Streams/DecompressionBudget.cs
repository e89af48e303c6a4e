namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// The decompressed bytes one scanned file may still produce, shared by every decoder opened for it. Besides the total,
/// the output of all decoders together is held to the ratio limit against the file's size, which catches bombs made
/// of many members that are each small (overlapping zip entries) as well as one huge stream.
/// </summary>
internal sealed class DecompressionBudget(ContainerLimits limits, long? fileLength)
{
    public long Used { get; private set; }

    /// <summary>Charges <paramref name="bytes"/>; throws <see cref="ContainerLimitException"/> past a limit.</summary>
    public void Charge(long bytes)
    {
        Used += bytes;
        if (Used > limits.MaxDecompressedBytes)
        {
            throw new ContainerLimitException($"decompressed output passed the limit of {limits.MaxDecompressedBytes} bytes");
        }

        if (fileLength is > 0 and var length && Used > limits.RatioCheckAfterBytes && Used / (double)length > limits.MaxCompressionRatio)
        {
            throw new ContainerLimitException(
                $"all decompressed output together passed {limits.MaxCompressionRatio:0}:1 of the file's size ({Used} bytes from {length})");
        }
    }
}
