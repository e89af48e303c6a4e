using System.Globalization;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// The snapshot fixtures (py314, regressions) against live CPython 3.14 (Pyodide under Node.js, tests/oracle/pyodide_dump.mjs):
/// the committed snapshots must still be what 3.14 says (SnapshotFixtureTests then holds the parser to them).
/// Skips visibly without Node.js or without `npm ci` in tests/oracle.
/// </summary>
[Collection(HeavyTestsCollection.Name)]
public sealed class SnapshotFixturePyodideTests
{
    [SkippableFact]
    public void SnapshotsAreWhatCPython314Says()
    {
        var node = OracleEnvironment.Node;
        Skip.If(node is null, "Node.js is not installed: the CPython 3.14 (Pyodide) oracle cannot run");
        var scripts = OracleEnvironment.ScriptsDirectory!;
        Skip.IfNot(File.Exists(Path.Combine(scripts, "node_modules", "pyodide", "pyodide.asm.wasm")),
            "Pyodide is not installed: run `npm ci` in tests/oracle");

        var fixtures = SnapshotFixtures.All();
        var records = new List<OracleRecord>();
        OracleProcess.Run(node, [Path.Combine(scripts, "pyodide_dump.mjs"), "--stdin"],
            fixtures.Select(SnapshotFixtures.FullPath).ToList(), line => records.Add(OracleRecord.Parse(line)), TimeSpan.FromMinutes(2));
        Assert.Equal(fixtures.Count, records.Count);

        var problems = new List<string>();
        foreach (var (fixture, record) in fixtures.Zip(records))
        {
            var live = record.Accepted
                ? record.Dump!
                : $"{SnapshotFixtures.RejectedPrefix}{record.Error?.Line?.ToString(CultureInfo.InvariantCulture) ?? "None"}:{record.Error?.Col?.ToString(CultureInfo.InvariantCulture) ?? "None"}: {record.Error?.Message}";
            if (live != SnapshotFixtures.Snapshot(fixture))
                problems.Add($"{fixture}: the snapshot is stale; rewrite it with `node tests/oracle/pyodide_dump.mjs --snapshot`");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(records, r => !r.Accepted);
        Assert.Contains(records, r => r.Accepted && r.Dump!.Contains("TemplateStr(", StringComparison.Ordinal));
    }
}
