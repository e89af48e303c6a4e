using System.Diagnostics;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;
using Xunit.Abstractions;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Time and memory of the whole scan over synthetic projects of growing size (opt-in: PG_TAINT_SCALING=1; a
/// small size always runs to check the generated project is analysed as expected).
/// </summary>
public sealed class TaintScalingTests(ITestOutputHelper output)
{
    [Fact]
    public void SyntheticProjectHasOneHighFindingPerModule()
    {
        var result = new CodeScanner(ModelSet.BuiltIn).Scan(SyntheticProject.Generate(300));
        var sinks = result.Findings.Where(f => f.RuleCode == "PG101").ToArray();
        Assert.Equal(3, sinks.Length);
        Assert.All(sinks, f => Assert.Equal(Severity.High, f.Severity));
        Assert.All(sinks, f => Assert.StartsWith("source (remote): flask.request.data", f.Trace[0].Message, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void TimeAndMemoryGrowLinearly()
    {
        Skip.If(Environment.GetEnvironmentVariable("PG_TAINT_SCALING") is not "1", "set PG_TAINT_SCALING=1");
        new CodeScanner(ModelSet.BuiltIn).Scan(SyntheticProject.Generate(1_000)); // warm-up
        foreach (var size in new[] { 10_000, 25_000, 50_000, 100_000 })
        {
            var files = SyntheticProject.Generate(size);
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var withTaint = new CodeScanner(ModelSet.BuiltIn).Scan(files);
            watch.Stop();
            process.Refresh();
            var taintCpu = process.TotalProcessorTime - cpu;
            var taintAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            var heap = GC.GetTotalMemory(forceFullCollection: false); // the heap as the scan left it: not a live-set figure
            var sinkWatch = Stopwatch.StartNew();
            new CodeScanner(ModelSet.BuiltIn, TaintOptions.Disabled).Scan(files);
            sinkWatch.Stop();
            output.WriteLine($"{size,7} functions {files.Length - 1,5} modules: with taint {watch.Elapsed.TotalSeconds,6:F2} s wall {taintCpu.TotalSeconds,6:F2} s CPU " +
                $"{taintAllocated / 1e6,8:F0} MB allocated, {heap / 1e6,6:F0} MB heap; sink-only {sinkWatch.Elapsed.TotalSeconds,6:F2} s; " +
                $"high findings {withTaint.Findings.Count(f => f.Severity == Severity.High)}");
            GC.KeepAlive(withTaint);
        }
    }
}
