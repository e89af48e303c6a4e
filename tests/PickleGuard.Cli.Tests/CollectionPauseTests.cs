using System.Runtime;
using PickleGuard.Cli.Scanning;

namespace PickleGuard.Cli.Tests;

/// <summary>
/// The scan's no-GC region never fails a scan: it is skipped when it does not fit and ends cleanly. The GC latency
/// mode is process-wide, so these tests run alone (no in-process scan beside them).
/// </summary>
[Collection(nameof(CollectionPauseTests))]
public sealed class CollectionPauseTests
{
    [Fact]
    public void AnInputTooLargeForMemoryRunsWithOrdinaryCollections()
    {
        var before = GCSettings.LatencyMode;
        using (CollectionPause.Start(long.MaxValue / 128))
        {
            Assert.Equal(before, GCSettings.LatencyMode);
        }
        Assert.Equal(before, GCSettings.LatencyMode);
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
