using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace PickleGuard.Benchmarks;

/// <summary>Adds an "MB/s" column: input size divided by the mean time of one conversion.</summary>
public sealed class ConvertBenchThroughputColumn : IColumn
{
    public string Id => nameof(ConvertBenchThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Megabytes (10^6) of pickle converted to JSON per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null)
        {
            return "NA";
        }

        double seconds = report.ResultStatistics.Mean / 1e9;
        return (ConvertBench.CorpusBytes / 1e6 / seconds).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
