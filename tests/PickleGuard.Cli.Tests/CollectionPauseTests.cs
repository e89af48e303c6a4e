using System.Runtime;
using PickleGuard.Cli.Scanning;

namespace PickleGuard.Cli.Tests;

/// <summary>
/// The scan's no-GC region never fails a scan: it is sized to fit memory, skipped where it cannot be, and ends cleanly. The GC latency
/// mode is process-wide, so these tests run alone (no in-process scan beside them).
/// </summary>
[Collection(nameof(CollectionPauseTests))]
public sealed class CollectionPauseTests
{
    private const long MiB = 1L << 20;
    private const long GiB = 1L << 30;

    [Theory]
    [InlineData(31 * MiB, 24 * GiB, 31 * 32 * MiB)] // the standard library: 32 bytes per byte of source
    [InlineData(110 * MiB, 24 * GiB, 110 * 32 * MiB)] // a site-packages folder: no longer over the quarter
    [InlineData(235 * MiB, 24 * GiB, 6 * GiB)] // the Google Cloud SDK: the quarter, not nothing
    [InlineData(1 * MiB, 24 * GiB, 64 * MiB)] // a small project: the minimum
    [InlineData(long.MaxValue / 2, 8 * GiB, 2 * GiB)] // no overflow
    public void TheRegionIsTheExpectedAllocationAtMostAQuarterOfMemory(long sourceBytes, long availableBytes, long expected)
    {
        Assert.Equal(expected, CollectionPause.RegionBytes(sourceBytes, availableBytes));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(200 * MiB)] // a quarter below the minimum region
    public void NoRegionWhenMemoryIsUnknownOrSmall(long availableBytes)
    {
        Assert.Null(CollectionPause.RegionBytes(MiB, availableBytes));
    }

    [Fact]
    public void AnInputTooLargeForMemoryStillScansAndEndsCleanly()
    {
        using (CollectionPause.Start(long.MaxValue / 128))
        {
            var chunk = new byte[MiB];
            Assert.Equal(MiB, chunk.Length);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void ARegionEndsWhenDisposedEvenAfterTheEstimateWasExceeded()
    {
        var pause = CollectionPause.Start(1 << 20);
        // Allocate past the 64 MiB minimum: the runtime collects and ends the region by itself.
        var chunks = new List<byte[]>();
        for (var i = 0; i < 80; i++)
        {
            chunks.Add(new byte[1 << 20]);
        }
        pause.Dispose();
        pause.Dispose();
        Assert.Equal(80, chunks.Count);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
