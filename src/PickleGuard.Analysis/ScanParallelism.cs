namespace PickleGuard.Analysis;

/// <summary>
/// The options of the scan's parallel loops: one thread per core. <c>Parallel.For</c> runs its body on the calling
/// thread besides the pool's, so uncapped loops ran three threads on two cores, each with its own analysis caches
/// (measured on the CPython standard library: about 4 % of the wall time of a scan, docs/benchmarks.md).
/// </summary>
internal static class ScanParallelism
{
    /// <summary>One per core, or fewer when the current task scheduler runs fewer tasks at a time (a test's one-task scheduler).</summary>
    public static int Threads => Math.Min(Environment.ProcessorCount, TaskScheduler.Current.MaximumConcurrencyLevel);

    public static ParallelOptions Options(CancellationToken ct) =>
        new() { CancellationToken = ct, MaxDegreeOfParallelism = Threads };
}
