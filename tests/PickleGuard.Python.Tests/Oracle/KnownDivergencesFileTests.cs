namespace PickleGuard.Python.Tests.Oracle;

/// <summary>known-divergences.txt must parse, and every entry must give a reason (no Python needed).</summary>
public sealed class KnownDivergencesFileTests
{
    [Fact]
    public void ListParsesAndEveryEntryHasAReason()
    {
        var dir = OracleEnvironment.TestDataDirectory;
        Assert.NotNull(dir);
        var known = KnownDivergences.Load(Path.Combine(dir, "known-divergences.txt"));
        Assert.All(known.Entries, e => Assert.True(e.Reason.Length >= 10, $"{e.Path}: reason too short: '{e.Reason}'"));
    }

    [Fact]
    public void MalformedEntriesAreRejected()
    {
        Assert.Throws<FormatException>(() => KnownDivergences.Parse(["a.py dump-mismatch"]));
        Assert.Throws<FormatException>(() => KnownDivergences.Parse(["a.py no-such-kind because"]));
        Assert.Throws<FormatException>(() => KnownDivergences.Parse(["a.py crash because", "a.py crash again"]));
        var known = KnownDivergences.Parse(["# comment", "", "a/b.py rejects-valid the reason text"]);
        Assert.True(known.Contains("a/b.py", DivergenceKind.RejectsValid));
        Assert.False(known.Contains("a/b.py", DivergenceKind.DumpMismatch));
    }
}
