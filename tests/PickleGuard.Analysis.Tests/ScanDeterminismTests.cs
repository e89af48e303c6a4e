using System.Text;
using PickleGuard.Analysis.Tests.Fixtures;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests;

/// <summary>
/// The scan runs per-file work in parallel and merges per-module results afterwards; whatever the scheduling, the
/// findings (severities, messages, traces) and notes must be the same.
/// </summary>
public sealed class ScanDeterminismTests
{
    private static readonly SourceInput[] Inputs = LoadFixtures();

    [Fact]
    public void TwoScansOfTheFixturesAreIdentical()
    {
        var first = Render(Scan());
        var second = Render(Scan());
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task OneThreadGivesTheSameResultAsManyThreads()
    {
        var parallel = Render(Scan());
        // Parallel.For runs on the current scheduler: an exclusive scheduler allows one task at a time.
        var exclusive = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 1).ExclusiveScheduler;
        var sequential = Render(await Task.Factory.StartNew(Scan, CancellationToken.None, TaskCreationOptions.None, exclusive));
        Assert.Equal(parallel, sequential);
    }

    [Fact]
    public void TheFixtureScanHasFindingsWithTraces()
    {
        var result = Scan();
        // Guards the two tests above against comparing empty results.
        Assert.True(result.Findings.Count >= 20, $"only {result.Findings.Count} findings");
        Assert.Contains(result.Findings, f => f.Severity == Severity.High && f.Trace.Count >= 2);
    }

    private static CodeScanResult Scan() => new CodeScanner(ModelSet.BuiltIn).Scan(Inputs);

    private static string Render(CodeScanResult result)
    {
        var text = new StringBuilder();
        foreach (var finding in result.Findings)
        {
            text.Append($"{finding.Location.Path}:{finding.Location.Line}:{finding.Location.Column} {finding.RuleCode} {finding.Severity} {finding.Confidence} {finding.Message}\n");
            foreach (var step in finding.Trace)
            {
                text.Append($"  {step.Kind} {step.Location.Path}:{step.Location.Line}:{step.Location.Column} {step.Message}\n");
            }
        }
        foreach (var error in result.Errors)
        {
            text.Append($"error {error.Path}: {error.Message}\n");
        }
        return text.ToString();
    }

    private static SourceInput[] LoadFixtures()
    {
        var fixtures = Path.GetDirectoryName(FixturePaths.CodeRoot)!;
        return new[] { "code", "taint" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(fixtures, folder), "*.py", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceInput(path, File.ReadAllBytes(path)))
            .ToArray();
    }
}
