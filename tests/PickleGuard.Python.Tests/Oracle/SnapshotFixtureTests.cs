namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Our parser against the committed CPython snapshots of the py314 and regressions fixtures: runs
/// with .NET alone. <see cref="SnapshotFixturePyodideTests"/> checks the snapshots against live CPython 3.14.
/// </summary>
public sealed class SnapshotFixtureTests
{
    public static TheoryData<string> Fixtures() => new(SnapshotFixtures.All());

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ParserAgreesWithCPythonSnapshot(string fixture)
    {
        var disagreement = SnapshotFixtures.Disagreement(fixture, SnapshotFixtures.Snapshot(fixture));
        Assert.True(disagreement is null, disagreement);
    }

    [Fact]
    public void FixturesCoverBothPepsAndHaveSnapshots()
    {
        var all = SnapshotFixtures.All();
        Assert.Contains("py314/tstrings.py", all);
        Assert.Contains("py314/except_without_parens.py", all);
        Assert.Contains(all, f => f.StartsWith("py314/invalid/", StringComparison.Ordinal));
        Assert.Contains(all, f => f.StartsWith("regressions/", StringComparison.Ordinal));
        Assert.All(all, f => Assert.True(File.Exists(SnapshotFixtures.FullPath(f) + ".expected"), $"{f} has no snapshot"));
    }
}
