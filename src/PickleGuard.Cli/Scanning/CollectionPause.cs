using System.Runtime;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// Keeps the garbage collector out of a scan while memory allows. A scan keeps every module's syntax tree and
/// semantic model until the end, so a collection during it mostly re-marks data that stays alive: on the CPython
/// standard library that was about 2 s of CPU out of 5 (docs/benchmarks.md). The scan asks the runtime for a
/// no-GC region sized from its input; when the input is too large for the machine's memory (or the runtime
/// refuses), it runs with ordinary collections, and the region ends by itself if the estimate was too small.
/// </summary>
internal sealed class CollectionPause : IDisposable
{
    /// <summary>
    /// Measured: a standard-library scan allocates about 22 bytes per byte of source (53 before the allocation work of
    /// docs/benchmarks.md, sixteenth session); the rest is headroom for code that keeps the taint engine busier.
    /// </summary>
    private const long AllocatedPerSourceByte = 64;
    private const long MinimumBytes = 64L << 20;

    private readonly bool _started;

    private CollectionPause(bool started) => _started = started;

    /// <summary>Starts a no-GC region big enough for a scan of <paramref name="sourceBytes"/> bytes of source, when it fits in a quarter of the available memory.</summary>
    public static CollectionPause Start(long sourceBytes)
    {
        var wanted = Math.Max(MinimumBytes, sourceBytes * AllocatedPerSourceByte);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available <= 0 || wanted > available / 4)
        {
            return new CollectionPause(false);
        }
        try
        {
            return new CollectionPause(GC.TryStartNoGCRegion(wanted));
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
