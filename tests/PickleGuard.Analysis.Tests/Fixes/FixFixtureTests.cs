using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Fixes;

/// <summary>Every tests/fixtures/fixes/NAME.py becomes exactly NAME.py.fixed, parses, and a second round changes nothing.</summary>
public sealed class FixFixtureTests
{
    public static TheoryData<string> Fixtures() =>
        [.. Directory.GetFiles(FixScan.FixtureRoot, "*.py").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void FixedFileMatchesTheExpectedText(string name)
    {
        var path = Path.Combine(FixScan.FixtureRoot, name);
        var code = File.ReadAllText(path);
        Assert.Equal(File.ReadAllText(path + ".fixed"), FixScan.Fixed(code, name));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void FixedFileParsesWithoutNewDiagnostics(string name)
    {
        var code = File.ReadAllText(Path.Combine(FixScan.FixtureRoot, name));
        Assert.Empty(PythonParser.Parse(code).Diagnostics);
        Assert.Empty(PythonParser.Parse(FixScan.Fixed(code, name)).Diagnostics);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void SecondRoundChangesNothingAndFixedFindingsAreGone(string name)
    {
        var code = File.ReadAllText(Path.Combine(FixScan.FixtureRoot, name));
        var before = FixScan.Findings(code, name);
        var once = FixScan.Apply(code, before);
        var after = FixScan.Findings(once, name);
        Assert.DoesNotContain(after, f => f.Fix is not null);
        Assert.Equal(once, FixScan.Apply(once, after));
        var sinks = new[] { "PG103", "PG104", "PG105" };
        Assert.Equal(
            before.Count(f => sinks.Contains(f.RuleCode)) - before.Count(f => f.Fix is not null),
            after.Count(f => sinks.Contains(f.RuleCode)));
    }

    [Fact]
    public void EveryFixtureHasItsExpectedFile()
    {
        var names = Directory.GetFiles(FixScan.FixtureRoot, "*.py");
        Assert.True(names.Length >= 8, "the fixture set went missing");
        Assert.All(names, n => Assert.True(File.Exists(n + ".fixed"), n + ".fixed is missing"));
    }
}
