namespace PickleGuard.Pickle.Containers;

/// <summary>
/// Hard limits for opening containers. Reaching one is itself a finding (PG221 or PG223), never a silent stop.
/// </summary>
/// <param name="MaxDepth">How many containers may nest (a gzip inside a zip inside a tar is depth 3).</param>
/// <param name="MaxDecompressedBytes">Total bytes that may come out of decompressors for one scanned file.</param>
/// <param name="MaxMembers">Members read from all archives of one scanned file.</param>
/// <param name="MaxCompressionRatio">Output/input ratio above which a decompressing stream is treated as a bomb
/// once it has produced more than <see cref="RatioCheckAfterBytes"/>.</param>
/// <param name="RatioCheckAfterBytes">Output size from which the ratio check applies.</param>
/// <param name="MaxBufferedBytes">Largest non-seekable stream (e.g. a decompressed archive) copied to memory so that
/// an archive inside it can be opened; bigger ones go to a temporary file.</param>
public sealed record ContainerLimits(
    int MaxDepth = 8,
    long MaxDecompressedBytes = 4L << 30,
    int MaxMembers = 100_000,
    double MaxCompressionRatio = 1_000,
    long RatioCheckAfterBytes = 64L << 20,
    long MaxBufferedBytes = 256L << 20)
{
    public static ContainerLimits Default { get; } = new();
}
