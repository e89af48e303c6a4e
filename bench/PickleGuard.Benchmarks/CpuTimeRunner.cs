using System.Diagnostics;
using System.Globalization;

namespace PickleGuard.Benchmarks;

/// <summary>
/// `--cpu-time`: the same five operations as <see cref="StdlibParseBenchmarks"/>, timed by the
/// process's CPU time instead of the wall clock. On a shared machine whose load average is many times
/// its core count, wall-clock throughput says more about the neighbours than about the parser; CPU
/// time (GC and JIT threads included, so a little pessimistic) stays close to the quiet-machine figure.
/// </summary>
internal static class CpuTimeRunner
{
    private const int Passes = 5;

    /// <param name="only">Operation names to time (all when empty), e.g. <c>DecodeParseAndBind</c>.</param>
    public static void Run(TextWriter output, IReadOnlyCollection<string> only)
    {
        var benchmarks = new StdlibParseBenchmarks();
        benchmarks.Setup();
        var megabytes = StdlibCorpus.Instance.TotalBytes / 1e6;
        output.WriteLine($"corpus: {StdlibCorpus.Instance.Files.Count} files, {megabytes:0.0} MB; {Passes} passes each after 1 warm-up; " +
                         $"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
        output.WriteLine("| operation | CPU ms per pass (median) | MB per CPU-second | wall ms per pass (median) | MB/s wall | MB allocated per pass |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        Measure(output, only, "Decode", megabytes, () => benchmarks.Decode());
        Measure(output, only, "Lex", megabytes, () => benchmarks.Lex());
        Measure(output, only, "Parse", megabytes, () => benchmarks.Parse());
        Measure(output, only, "DecodeAndParse", megabytes, () => benchmarks.DecodeAndParse());
        Measure(output, only, "DecodeParseAndBind", megabytes, () => benchmarks.DecodeParseAndBind());
    }

    private static void Measure(TextWriter output, IReadOnlyCollection<string> only, string name, double megabytes, Func<int> pass)
    {
        if (only.Count > 0 && !only.Contains(name))
        {
            return;
        }
        pass();
        var process = Process.GetCurrentProcess();
        var cpu = new List<double>();
        var wall = new List<double>();
        var allocated = 0L;
        for (var i = 0; i < Passes; i++)
        {
            GC.Collect();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            pass();
            clock.Stop();
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            wall.Add(clock.Elapsed.TotalMilliseconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }
        var cpuMedian = Median(cpu);
        var wallMedian = Median(wall);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {cpuMedian:0} | {megabytes / (cpuMedian / 1000):0.0} | {wallMedian:0} | {megabytes / (wallMedian / 1000):0.0} | {allocated / 1e6:0} |"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
