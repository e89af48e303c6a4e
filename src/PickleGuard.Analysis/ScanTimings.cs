using System.Diagnostics;
using System.Globalization;

namespace PickleGuard.Analysis;

/// <summary>
/// Wall time per scan phase (and the process's CPU time, GC and allocation so far), written to stderr when the environment variable <c>PICKLEGUARD_TIMINGS</c> is <c>1</c>
/// (a profiling aid for docs/benchmarks.md; off by default, and then it costs one branch per phase).
/// </summary>
public static class ScanTimings
{
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("PICKLEGUARD_TIMINGS") == "1";

    /// <summary>A running clock, or null when timings are off.</summary>
    public static Stopwatch? Start() => Enabled ? Stopwatch.StartNew() : null;

    /// <summary>Reports the time since the last lap (or the start) under <paramref name="phase"/> and restarts the clock.</summary>
    public static void Lap(Stopwatch? clock, string phase)
    {
        if (clock is null)
        {
            return;
        }
        using var process = Process.GetCurrentProcess();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timing: {phase,-24} {clock.Elapsed.TotalMilliseconds,8:0.0} ms   (process so far: CPU {process.TotalProcessorTime.TotalMilliseconds:0} ms ({process.PrivilegedProcessorTime.TotalMilliseconds:0} ms in the kernel), GC pauses {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() >> 20} MB)"));
        clock.Restart();
    }
}
