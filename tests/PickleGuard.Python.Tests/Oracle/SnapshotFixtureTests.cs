namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Our parser against the committed CPython snapshots of the py314 and regressions fixtures: runs
/// with .NET alone. <see cref="SnapshotFixturePyodideTests"/> checks the snapshots against live CPython 3.14.
/// </summary>
public sealed class SnapshotFixtureTests
{
    public static TheoryData<string> Fixtures() => new(SnapshotFixtures.All());

    /// <summary>
    /// A fixture may disagree only when known-divergences.txt lists it (as "Oracle/&lt;fixture&gt; kind
    /// reason"), and a listed one must still disagree, like the stdlib files.
    /// </summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ParserAgreesWithCPythonSnapshot(string fixture)
    {
        var disagreement = SnapshotFixtures.Disagreement(fixture, SnapshotFixtures.Snapshot(fixture));
        var known = KnownDivergences.Load(Path.Combine(SnapshotFixtures.Directory, "known-divergences.txt"));
        var listedKinds = known.Entries.Where(e => e.Path == SnapshotFixtures.ListedPath(fixture)).Select(e => e.Kind).ToList();
        if (disagreement is null)
        {
            Assert.True(listedKinds.Count == 0,
                $"{fixture} now agrees with CPython: remove its known-divergences.txt entry ({string.Join(", ", listedKinds.Select(KindNames.Of))})");
            return;
        }
        Assert.True(listedKinds.Contains(disagreement.Kind), $"[{disagreement.KindName}] {disagreement.Detail}");
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
