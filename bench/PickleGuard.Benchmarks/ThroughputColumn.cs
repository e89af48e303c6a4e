using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace PickleGuard.Benchmarks;

/// <summary>
/// MB/s over the corpus: total corpus bytes / 10^6 / seconds per operation, from the mean time, or
/// from the fastest operation (on a shared, loaded machine the fastest is the closest to the code's
/// own speed).
/// </summary>
internal sealed class ThroughputColumn : IColumn
{
    private readonly bool _fromFastest;

    public ThroughputColumn(bool fromFastest) => _fromFastest = fromFastest;

    public string Id => nameof(ThroughputColumn) + (_fromFastest ? ".Fastest" : ".Mean");

    public string ColumnName => _fromFastest ? "MB/s (fastest)" : "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _fromFastest ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _fromFastest
        ? "Corpus megabytes (10^6 bytes) per second: total bytes / fastest operation's time"
        : "Corpus megabytes (10^6 bytes) per second: total bytes / mean time";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        var nanoseconds = statistics is null ? 0 : _fromFastest ? statistics.Min : statistics.Mean;
        if (nanoseconds <= 0)
            return "-";
        var seconds = nanoseconds / 1e9;
        return (StdlibCorpus.Instance.TotalBytes / 1e6 / seconds).ToString("0.0", CultureInfo.InvariantCulture);
    }
}
