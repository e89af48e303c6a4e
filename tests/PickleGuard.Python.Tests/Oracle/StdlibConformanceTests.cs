using System.Text;
using Xunit.Abstractions;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Conformance and differential tests over the CPython standard library (docs/parser-conformance.md):
/// (a) we report no non-Python-2 diagnostic iff CPython accepts a file, Python-2-only files get
/// Python-2 diagnostics and a tree; (b) on accepted files our AST dump equals CPython 3.13's.
/// Divergences must be listed, with a reason, in known-divergences.txt.
/// </summary>
[Collection(HeavyTestsCollection.Name)]
public sealed class StdlibConformanceTests : IClassFixture<StdlibConformanceRun>
{
    private const int MaxShown = 15;
    private static readonly DivergenceKind[] AcceptanceKinds =
        [DivergenceKind.RejectsValid, DivergenceKind.Python2OnValid, DivergenceKind.AcceptsInvalid, DivergenceKind.Crash];

    private readonly StdlibConformanceRun _run;
    private readonly ITestOutputHelper _output;

    public StdlibConformanceTests(StdlibConformanceRun run, ITestOutputHelper output)
    {
        _run = run;
        _output = output;
    }

    [SkippableFact]
    public void AcceptanceMatchesCPython()
    {
        Prepare();
        Assert.True(_run.Files.Count > 100, $"only {_run.Files.Count} files found under {_run.CorpusRoot}");
        Assert.True(_run.Files.Count(f => f.Reference.Accepted) > 100, "the oracle accepted almost nothing: is it working?");
        AssertOnlyListed(AcceptanceKinds, "acceptance (zero non-Python-2 diagnostics iff CPython accepts)");
    }

    [SkippableFact]
    public void Python2OnlyFilesGetPython2DiagnosticsAndATree()
    {
        Prepare();
        Skip.IfNot(_run.HasPython2Oracle, "CPython 2.7 is not installed: Python-2-only files cannot be told from broken ones");
        var python2Only = _run.Files.Where(f => f.IsPython2Only).Select(f => f.Path).ToList();
        _output.WriteLine($"Python-2-only files: {string.Join(", ", python2Only)}");
        AssertOnlyListed([DivergenceKind.Python2Missed], "Python-2-only files");
    }

    [SkippableFact]
    public void DumpsMatchCPython313()
    {
        Prepare();
        Skip.If(_run.DumpOracleVersion is null, "CPython 3.13 is not installed (pyenv 3.13.x or PICKLEGUARD_PYTHON313): dumps not compared");
        Assert.True(_run.Files.Count(f => f.DumpCompared) > 100 || _run.Divergences.Any(d => d.Kind == DivergenceKind.RejectsValid),
            "almost no dump was compared");
        AssertOnlyListed([DivergenceKind.DumpMismatch], "AST dumps against CPython 3.13");
    }

    private void Prepare()
    {
        Skip.If(_run.SkipReason is not null, _run.SkipReason);
        Assert.True(_run.Failure is null, $"the conformance run broke: {_run.Failure}");
        var report = ConformanceReport.Render(_run);
        _output.WriteLine(report);
        var reportPath = Environment.GetEnvironmentVariable("PICKLEGUARD_CONFORMANCE_REPORT")
                         ?? Path.Combine(Path.GetTempPath(), "pickleguard-conformance-report.md");
        File.WriteAllText(reportPath, report + "\n## Examples\n\n" + ConformanceReport.Examples(_run.Divergences, 3)
            + "\n## All divergences\n\n```\n" + ConformanceReport.CandidateEntries(_run.Divergences) + "\n```\n");
        _output.WriteLine($"(report written to {reportPath})");
    }

    private void AssertOnlyListed(IReadOnlyCollection<DivergenceKind> kinds, string what)
    {
        var found = _run.Divergences.Where(d => kinds.Contains(d.Kind)).ToList();
        var unlisted = found.Where(d => !_run.Known.Contains(d.Path, d.Kind)).ToList();
        var diverging = found.Select(d => (d.Path, d.Kind)).ToHashSet();
        var corpus = _run.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var stale = _run.Known.Entries
            .Where(e => kinds.Contains(e.Kind) && !diverging.Contains((e.Path, e.Kind)))
            .ToList();
        if (unlisted.Count == 0 && stale.Count == 0)
            return;

        var message = new StringBuilder();
        message.Append($"{what}: {unlisted.Count} divergence(s) not in known-divergences.txt, {stale.Count} listed one(s) that no longer diverge.\n");
        foreach (var group in unlisted.GroupBy(d => (d.KindName, d.Cause)).OrderByDescending(g => g.Count()))
            message.Append($"  {group.Count(),5} × {group.Key.KindName} {group.Key.Cause}\n");
        foreach (var divergence in unlisted.Take(MaxShown))
            message.Append($"\n{divergence.Path} [{divergence.KindName}]\n{divergence.Detail}\n");
        if (unlisted.Count > MaxShown)
            message.Append($"\n… and {unlisted.Count - MaxShown} more (all in the report file)\n");
        foreach (var entry in stale)
        {
            var why = corpus.Contains(entry.Path) ? "no longer diverges: remove it" : "not in the corpus: remove it";
            message.Append($"\nstale entry: {entry.Path} {KindNames.Of(entry.Kind)} ({why})\n");
        }
        Assert.Fail(message.ToString());
    }
}
