namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// The py314 fixtures against live CPython 3.14 (Pyodide under Node.js, tests/oracle/pyodide_dump.mjs):
/// the committed snapshots must still be what 3.14 says, and our parser must agree with it.
/// Skips visibly without Node.js or without `npm ci` in tests/oracle.
/// </summary>
[Collection(HeavyTestsCollection.Name)]
public sealed class Py314PyodideOracleTests
{
    [SkippableFact]
    public void SnapshotsAndParserAgreeWithPyodide()
    {
        var node = OracleEnvironment.Node;
        Skip.If(node is null, "Node.js is not installed: the CPython 3.14 (Pyodide) oracle cannot run");
        var scripts = OracleEnvironment.ScriptsDirectory!;
        Skip.IfNot(File.Exists(Path.Combine(scripts, "node_modules", "pyodide", "pyodide.asm.wasm")),
            "Pyodide is not installed: run `npm ci` in tests/oracle");

        var fixtures = Py314Fixtures.All();
        var records = new List<OracleRecord>();
        OracleProcess.Run(node, [Path.Combine(scripts, "pyodide_dump.mjs"), "--stdin"],
            fixtures.Select(Py314Fixtures.FullPath).ToList(), line => records.Add(OracleRecord.Parse(line)), TimeSpan.FromMinutes(2));
        Assert.Equal(fixtures.Count, records.Count);

        var problems = new List<string>();
        foreach (var (fixture, record) in fixtures.Zip(records))
        {
            var live = record.Accepted
                ? record.Dump!
                : $"{Py314Fixtures.RejectedPrefix}{record.Error?.Line}:{record.Error?.Col}: {record.Error?.Message}";
            if (live != Py314Fixtures.Snapshot(fixture))
                problems.Add($"{fixture}: the snapshot is stale; rewrite it with `node tests/oracle/pyodide_dump.mjs --snapshot`");
            if (Py314Fixtures.Disagreement(fixture, live) is { } disagreement)
                problems.Add(disagreement);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(records, r => !r.Accepted);
        Assert.Contains(records, r => r.Accepted && r.Dump!.Contains("TemplateStr(", StringComparison.Ordinal));
    }
}
