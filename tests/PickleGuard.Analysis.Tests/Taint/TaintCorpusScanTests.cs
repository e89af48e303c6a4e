using System.Diagnostics;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;
using Xunit.Abstractions;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Scans a real corpus (opt-in: PG_TAINT_CORPUS, e.g. the CPython Lib directory or Django's package) with and
/// without the taint engine, prints the warm timings, the counts per severity and every high finding with its
/// trace (PG_TAINT_OUT: also written to that file) for the precision review in docs/taint-precision.md.
/// </summary>
public sealed class TaintCorpusScanTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void ScanCorpus()
    {
        var root = Environment.GetEnvironmentVariable("PG_TAINT_CORPUS");
        Skip.If(string.IsNullOrEmpty(root) || !Directory.Exists(root), "set PG_TAINT_CORPUS to a directory of Python files");
        var files = Directory.GetFiles(root!, "*.py", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/site-packages/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new SourceInput(f, File.ReadAllBytes(f)))
            .ToArray();

        new CodeScanner(ModelSet.BuiltIn, TaintOptions.Disabled).Scan(files); // warm-up (JIT, model loading)
        var sinkOnly = Time(TaintOptions.Disabled, files, out var sinkOnlyResult);
        var withTaint = Time(TaintOptions.Default, files, out var result);
        var sinkOnlyAgain = Time(TaintOptions.Disabled, files, out _);
        var withTaintAgain = Time(TaintOptions.Default, files, out _);
        output.WriteLine($"{files.Length} files; sink-only {sinkOnly} | {sinkOnlyAgain}; with taint {withTaint} | {withTaintAgain}");
        foreach (var group in result.Findings.GroupBy(f => f.Severity).OrderBy(g => g.Key))
        {
            output.WriteLine($"total {group.Key.ToName(),-6} {group.Count(),5}   traced: {group.Count(f => f.Trace.Count > 0)}");
        }
        var lines = new List<string>();
        foreach (var finding in result.Findings.Where(f => f.Severity == Severity.High || f.Trace.Count > 0))
        {
            lines.Add($"{finding.Severity.ToName()} {finding.RuleCode} {Path.GetRelativePath(root!, finding.Location.Path)}:{finding.Location.Line} {finding.Message}");
            lines.AddRange(finding.Trace.Select(s => $"    {Path.GetRelativePath(root!, s.Location.Path)}:{s.Location.Line} [{s.Kind}] {s.Message}"));
        }
        lines.AddRange(result.Errors.Where(e => e.Message.StartsWith("taint", StringComparison.Ordinal)).Select(e => $"NOTE {Path.GetRelativePath(root!, e.Path)} {e.Message}"));
        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
        if (Environment.GetEnvironmentVariable("PG_TAINT_OUT") is { Length: > 0 } dump)
        {
            File.WriteAllLines(dump, lines);
        }
        // The taint engine refines step 2's findings, never adds or drops one (a corpus may have none: django/db).
        Assert.Equal(
            sinkOnlyResult.Findings.Select(f => (f.Location.Path, f.Location.Line, f.RuleCode)),
            result.Findings.Select(f => (f.Location.Path, f.Location.Line, f.RuleCode)));
    }

    /// <summary>
    /// Regression for the harness-only hang on Django's ORM: a binding refused at the resolver's depth limit stayed
    /// marked "in progress" for the resolver's life, which switched caching off and made later resolutions
    /// exponential (docs/taint-precision.md). Runs when Debian's python3-django is installed.
    /// </summary>
    [SkippableFact]
    public void DjangoDbFinishesWithinSeconds()
    {
        const string root = "/usr/lib/python3/dist-packages/django/db";
        Skip.IfNot(Directory.Exists(root), "python3-django is not installed");
        var files = Directory.GetFiles(root, "*.py", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => new SourceInput(f, File.ReadAllBytes(f)))
            .ToArray();
        var scan = Task.Run(() =>
        {
            new CodeScanner(ModelSet.BuiltIn, TaintOptions.Disabled).Scan(files);
            return new CodeScanner(ModelSet.BuiltIn, TaintOptions.Default).Scan(files);
        });
        Assert.True(scan.Wait(TimeSpan.FromSeconds(60)), "the scan of django/db did not finish within 60 s");
        Assert.DoesNotContain(scan.Result.Errors, e => e.Message.StartsWith("taint analysis stopped after its budget", StringComparison.Ordinal));
    }

    private static string Time(TaintOptions options, SourceInput[] files, out CodeScanResult result)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        result = new CodeScanner(ModelSet.BuiltIn, options).Scan(files);
        watch.Stop();
        process.Refresh();
        return $"{watch.Elapsed.TotalSeconds:F2} s wall / {(process.TotalProcessorTime - cpu).TotalSeconds:F2} s CPU";
    }
}
