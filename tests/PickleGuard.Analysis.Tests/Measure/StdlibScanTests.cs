using System.Diagnostics;
using PickleGuard.Core;
using PickleGuard.Models;
using Xunit.Abstractions;

namespace PickleGuard.Analysis.Tests.Measure;

/// <summary>
/// Scans the CPython standard library (opt-in: set PG_STDLIB to the Lib directory, e.g.
/// /root/.pyenv/versions/3.11.7/lib/python3.11) and prints counts per rule and severity and the wall time.
/// With PG_STDLIB_OUT set, writes every finding there (one per line) for hand review.
/// </summary>
public sealed class StdlibScanTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void ScanStdlib()
    {
        var root = Environment.GetEnvironmentVariable("PG_STDLIB");
        Skip.If(string.IsNullOrEmpty(root) || !Directory.Exists(root), "set PG_STDLIB to a CPython Lib directory");
        var files = Directory.GetFiles(root!, "*.py", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/site-packages/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new SourceInput(f, File.ReadAllBytes(f)))
            .ToArray();
        var bytes = files.Sum(f => (long)f.Content!.Length);

        var process = Process.GetCurrentProcess();
        var parseCpu = process.TotalProcessorTime;
        var parseWatch = Stopwatch.StartNew();
        Parallel.ForEach(files, f => PickleGuard.Python.PythonParser.Parse(PickleGuard.Python.SourceText.From(f.Content, f.Path)));
        parseWatch.Stop();
        process.Refresh();
        output.WriteLine($"parse only (parallel): {parseWatch.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - parseCpu).TotalSeconds:F2} s CPU");

        var watch = Stopwatch.StartNew();
        var result = new CodeScanner(ModelSet.BuiltIn).Scan(files);
        watch.Stop();
        process.Refresh();
        var warmCpu = process.TotalProcessorTime;
        var warm = Stopwatch.StartNew();
        var again = new CodeScanner(ModelSet.BuiltIn).Scan(files);
        warm.Stop();
        process.Refresh();
        output.WriteLine($"second (warm) scan: {warm.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - warmCpu).TotalSeconds:F2} s CPU");
        Assert.Equal(result.Findings.Select(f => f.ToString()), again.Findings.Select(f => f.ToString()));

        output.WriteLine($"{files.Length} files, {bytes / 1e6:F1} MB, {watch.Elapsed.TotalSeconds:F2} s wall, {result.Errors.Count} input errors");
        foreach (var group in result.Findings.GroupBy(f => (f.RuleCode, f.Severity)).OrderBy(g => g.Key.RuleCode).ThenBy(g => g.Key.Severity))
        {
            output.WriteLine($"{group.Key.RuleCode} {group.Key.Severity.ToName(),-6} {group.Count(),5}");
        }
        foreach (var group in result.Findings.GroupBy(f => f.Severity).OrderBy(g => g.Key))
        {
            output.WriteLine($"total {group.Key.ToName(),-6} {group.Count(),5}");
        }
        if (Environment.GetEnvironmentVariable("PG_STDLIB_OUT") is { Length: > 0 } dump)
        {
            File.WriteAllLines(dump, result.Findings.Select(f =>
                $"{f.RuleCode}\t{f.Severity.ToName()}\t{Path.GetRelativePath(root!, f.Location.Path)}:{f.Location.Line}:{f.Location.Column}\t{f.CodeLine}\t{f.Message}"));
            File.AppendAllLines(dump, result.Errors.Select(e => $"ERROR\t{Path.GetRelativePath(root!, e.Path)}\t{e.Message}"));
        }
        Assert.NotEmpty(result.Findings);
    }
}
