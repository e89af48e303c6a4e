using System.Diagnostics;
using System.Globalization;
using PickleGuard.Core;
using PickleGuard.Pickle;

namespace PickleGuard.Benchmarks;

/// <summary>
/// `--pickle-cpu-time [MB]`: scans the opcode-dense benign pickle of <see cref="PickleBench"/> (default 200 MB, generated
/// into a temp file) once to warm up and then a few times, timed by wall clock and by the process's CPU time, with the
/// bytes allocated per scan. Peak memory of a whole process is measured separately (`/usr/bin/time -v pickleguard scan`).
/// </summary>
internal static class PickleCpuTimeRunner
{
    private const int Passes = 3;

    public static void Run(TextWriter output, long megabytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pickleguard-cpu-{Environment.ProcessId}.pkl");
        try
        {
            using (var file = File.Create(path))
            {
                PickleBenchCorpus.Write(file, megabytes * 1000 * 1000);
            }

            double size = new FileInfo(path).Length / 1e6;
            var scanner = new PickleScanner(PicklePolicy.Load("plain"), PickleLimits.Default);
            output.WriteLine($"corpus: {size:0.0} MB; {Passes} passes after 1 warm-up; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
            output.WriteLine("| pass | CPU ms | MB per CPU-second | wall ms | MB/s wall | allocated MB |");
            output.WriteLine("|---:|---:|---:|---:|---:|---:|");
            ScanOnce(scanner, path);
            var process = Process.GetCurrentProcess();
            for (int pass = 1; pass <= Passes; pass++)
            {
                GC.Collect();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                long allocatedBefore = GC.GetTotalAllocatedBytes(true);
                var clock = Stopwatch.StartNew();
                ScanOnce(scanner, path);
                clock.Stop();
                process.Refresh();
                double cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
                double wall = clock.Elapsed.TotalMilliseconds;
                double allocated = (GC.GetTotalAllocatedBytes(true) - allocatedBefore) / 1e6;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {pass} | {cpu:0} | {size / (cpu / 1000):0.0} | {wall:0} | {size / (wall / 1000):0.0} | {allocated:0.0} |"));
            }

            process.Refresh();
            output.WriteLine($"peak working set of this process: {process.PeakWorkingSet64 / (1024 * 1024)} MiB");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void ScanOnce(PickleScanner scanner, string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var result = scanner.Scan(stream, new Location(path));
        if (result.Findings.Any(f => f.Severity > Severity.Info) || !result.CompletelyRead)
        {
            throw new InvalidOperationException("the benchmark corpus must scan clean (only the info-level memo budget note is expected): " + string.Join("; ", result.Findings.Select(f => f.Message)));
        }
    }
}
