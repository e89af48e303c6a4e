using System.Runtime;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// Keeps the garbage collector out of a scan while memory allows. A scan keeps every module's syntax tree and
/// semantic model until the end, so a collection during it mostly re-marks data that stays alive: on the CPython
/// standard library that was about 2 s of CPU out of 5 (docs/benchmarks.md). The scan asks the runtime for a
/// no-GC region sized from its input, at most a quarter of the available memory; a scan that outgrows it (or an
/// estimate that was too small) ends it with a collection and goes on with ordinary ones, and where the runtime
/// refuses a region the whole scan runs with them.
/// </summary>
internal sealed class CollectionPause : IDisposable
{
    /// <summary>
    /// Measured: a scan allocates 18-20 bytes per byte of source (the standard library, a site-packages folder, the
    /// Google Cloud SDK; docs/benchmarks.md, twentieth session); the rest is headroom. It was 64, which put a
    /// 110 MB site-packages folder over the quarter of memory the region may take, and so with no region at all.
    /// </summary>
    private const long AllocatedPerSourceByte = 32;
    private const long MinimumBytes = 64L << 20;

    private readonly bool _started;

    private CollectionPause(bool started) => _started = started;

    /// <summary>
    /// Starts a no-GC region for a scan of <paramref name="sourceBytes"/> bytes of source (<see cref="RegionBytes"/>).
    /// When the scan outgrows it, the runtime collects and ends the region; the rest of the scan runs with ordinary
    /// collections.
    /// </summary>
    public static CollectionPause Start(long sourceBytes)
    {
        if (RegionBytes(sourceBytes, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) is not { } size)
        {
            return new CollectionPause(false);
        }
        try
        {
            return new CollectionPause(GC.TryStartNoGCRegion(size));
        }
        catch (ArgumentOutOfRangeException)
        {
            return new CollectionPause(false); // more than this runtime's no-GC region can hold
        }
        catch (InvalidOperationException)
        {
            return new CollectionPause(false); // another scan in this process already holds one
        }
    }

    /// <summary>
    /// The region for <paramref name="sourceBytes"/> of source: what the scan is expected to allocate, at most a
    /// quarter of <paramref name="availableBytes"/> — a project too large for that still runs its first part without
    /// collections (the Google Cloud SDK: 38.8 s with no region, 27.9 s with half of what it needed, 21.5 s with all).
    /// Null when memory is unknown or too small for a useful region.
    /// </summary>
    internal static long? RegionBytes(long sourceBytes, long availableBytes)
    {
        var cap = availableBytes / 4;
        if (cap < MinimumBytes)
        {
            return null;
        }
        var wanted = sourceBytes > cap / AllocatedPerSourceByte ? cap : sourceBytes * AllocatedPerSourceByte;
        return Math.Clamp(wanted, MinimumBytes, cap);
    }

    public void Dispose()
    {
        if (!_started || GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            return;
        }
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The scan allocated more than estimated and a collection already ended the region.
        }
    }
}
