using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using PickleGuard.Core;
using PickleGuard.Pickle;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Scans a 200 MB opcode-dense benign pickle (generated in-process into a temp file) with the default policy and limits.
/// Run: <c>dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --filter '*PickleBench*'</c>
/// </summary>
[Config(typeof(ShortConfig))]
[MemoryDiagnoser]
public class PickleBench
{
    public const long CorpusBytes = 200L * 1000 * 1000;

    private string _path = "";
    private PickleScanner _scanner = null!;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"pickleguard-bench-{Environment.ProcessId}.pkl");
        using (var file = File.Create(_path))
        {
            PickleBenchCorpus.Write(file, CorpusBytes);
        }

        _scanner = new PickleScanner(PicklePolicy.Load("plain"), PickleLimits.Default);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// peak working set: {Environment.WorkingSet / (1024 * 1024)} MiB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB peak");
        File.Delete(_path);
    }

    [Benchmark]
    public int ScanDenseBenignPickle()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var result = _scanner.Scan(stream, new Location(_path));
        if (result.Findings.Any(f => f.Severity > Severity.Info) || !result.CompletelyRead)
        {
            throw new InvalidOperationException("the benchmark corpus must scan clean (only the info-level memo budget note is expected): " + string.Join("; ", result.Findings.Select(f => f.Message)));
        }

        return result.PickleCount;
    }

    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig()
        {
            AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1));
            AddColumn(new CorpusThroughputColumn("PickleScanThroughput", "Megabytes (10^6) of pickle scanned per second", () => CorpusBytes));
        }
    }
}
