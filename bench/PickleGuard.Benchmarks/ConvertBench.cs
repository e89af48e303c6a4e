using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Conversion;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Converts a big plain-data pickle (a list of small dicts of str/int/float/list, generated in-process into a temp
/// file; size from PICKLEGUARD_CONVERT_BENCH_MB, default 200) to tagged JSON written to a null stream.
/// Run: <c>dotnet run -c Release --project bench/PickleGuard.Benchmarks -- --filter '*ConvertBench*' --inProcess</c>
/// (the job is the short one of <see cref="ThroughputConfig"/>: one warm-up, five measured conversions).
/// </summary>
[Config(typeof(ShortConfig))]
[MemoryDiagnoser]
public class ConvertBench
{
    public static long CorpusBytes { get; } =
        (long.TryParse(Environment.GetEnvironmentVariable("PICKLEGUARD_CONVERT_BENCH_MB"), out var mb) ? mb : 200) * 1000 * 1000;

    private string _path = "";
    private PickleJsonConverter _converter = null!;
    private long _records;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"pickleguard-convert-bench-{Environment.ProcessId}.pkl");
        using (var file = File.Create(_path))
        {
            _records = new ConvertBenchCorpus(file).Write(CorpusBytes);
        }

        _converter = new PickleJsonConverter(PicklePolicy.Load("plain"), ConversionOptions.Default);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// {_records} records, {new FileInfo(_path).Length} bytes of pickle; peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB");
        File.Delete(_path);
    }

    [Benchmark]
    public long ConvertRecordsToJson()
    {
        var result = _converter.Convert(_path, () => Stream.Null);
        if (!result.Converted)
        {
            throw new InvalidOperationException("the benchmark corpus must convert: " + string.Join("; ", result.Refusals));
        }

        return result.BytesWritten;
    }

    private sealed class ShortConfig : ManualConfig
    {
        public ShortConfig() => AddColumn(new CorpusThroughputColumn("ConvertThroughput", "Megabytes (10^6) of pickle converted to JSON per second", () => CorpusBytes));
    }
}
