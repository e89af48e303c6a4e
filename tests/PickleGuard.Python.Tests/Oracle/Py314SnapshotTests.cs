namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Our parser against the committed CPython 3.14 snapshots of the py314 fixtures: runs with .NET
/// alone. <see cref="Py314PyodideOracleTests"/> checks the snapshots against live CPython 3.14.
/// </summary>
public sealed class Py314SnapshotTests
{
    public static TheoryData<string> Fixtures() => new(Py314Fixtures.All());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ParserAgreesWithCPython314Snapshot(string fixture)
    {
        var disagreement = Py314Fixtures.Disagreement(fixture, Py314Fixtures.Snapshot(fixture));
        Assert.True(disagreement is null, disagreement);
    }

    [Fact]
    public void FixturesCoverBothPeps()
    {
        var all = Py314Fixtures.All();
        Assert.Contains("tstrings.py", all);
        Assert.Contains("except_without_parens.py", all);
        Assert.Contains(all, f => f.StartsWith("invalid/", StringComparison.Ordinal));
        Assert.All(all, f => Assert.True(File.Exists(Py314Fixtures.FullPath(f) + ".expected"), $"{f} has no snapshot"));
    }
}
