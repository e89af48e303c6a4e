using PickleGuard.Cli.Filtering;
using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Tests;

public class FilterTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "pg-filter-root");

    [Theory]
    [InlineData(new string[0], new string[0], "PG101", true)]
    [InlineData(new[] { "PG1" }, new string[0], "PG101", true)]
    [InlineData(new[] { "PG1" }, new string[0], "PG301", false)]
    [InlineData(new[] { "PG1" }, new[] { "PG101" }, "PG101", false)]
    [InlineData(new[] { "PG101" }, new[] { "PG1" }, "PG101", true)]
    [InlineData(new string[0], new[] { "PG3" }, "PG301", false)]
    public void SelectAndIgnoreByPrefix(string[] select, string[] ignore, string code, bool expected) =>
        Assert.Equal(expected, new FindingFilter { Select = select, Ignore = ignore }.IsSelected(code));

    [Fact]
    public void ThresholdHidesInfoByDefault()
    {
        var filter = new FindingFilter();
        var (kept, _) = filter.Apply([Samples.CodeFinding(Root), Samples.InfoFinding(Root)], Samples.Context(Root));
        Assert.Equal(["PG101"], kept.Select(f => f.RuleCode));
        var (all, _) = new FindingFilter { Threshold = Severity.Info }.Apply([Samples.CodeFinding(Root), Samples.InfoFinding(Root)], Samples.Context(Root));
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public void SuppressionCommentOnTheSourceLine()
    {
        static string? Line(Location location) => location.Line == 12 ? "data = pickle.loads(x)  # noqa: PG101" : null;
        var filter = new FindingFilter { SourceLine = Line };
        var (kept, suppressed) = filter.Apply([Samples.CodeFinding(Root), Samples.InfoFinding(Root)], Samples.Context(Root));
        Assert.Empty(kept);
        Assert.Equal(["PG101"], suppressed.Select(f => f.RuleCode)); // the info finding is below the threshold, not suppressed
        Assert.Single(filter.Apply([Samples.ArtifactFinding(Root)], Samples.Context(Root)).Kept);

        var shown = new FindingFilter { SourceLine = Line, ShowSuppressed = true }.Apply([Samples.CodeFinding(Root)], Samples.Context(Root));
        Assert.Equal(["PG101"], shown.Kept.Select(f => f.RuleCode));
        Assert.Empty(shown.Suppressed);
    }

    [Fact]
    public void BaselineHidesKnownFindingsEvenWhenLinesMove()
    {
        using var dir = new TempDir();
        var context = Samples.Context(dir.Root);
        var old = Samples.CodeFinding(dir.Root);
        var report = new StringWriter();
        JsonReporter.Write(new Report([old, Samples.ArtifactFinding(dir.Root)], [], []), context, report);
        var baselineFile = dir.Write("baseline.json", report.ToString());

        var baseline = Baseline.Load(baselineFile, out var error);
        Assert.Null(error);
        var moved = old with { Location = old.Location with { Line = 30 } };
        var fresh = old with { CodeLine = "other = pickle.loads(y)", Location = old.Location with { Line = 31 } };
        var (kept, _) = new FindingFilter { Baseline = baseline }.Apply([moved, fresh, moved, Samples.ArtifactFinding(dir.Root)], context);
        // The second copy of the moved finding is new: the baseline had only one.
        Assert.Equal([31, 30], kept.Select(f => f.Location.Line));
    }

    [Fact]
    public void BaselineMustBeAReport()
    {
        using var dir = new TempDir();
        var file = dir.Write("baseline.json", "{\"runs\": []}");
        Assert.Null(Baseline.Load(file, out var error));
        Assert.Contains("not a PickleGuard JSON report", error);
    }
}
