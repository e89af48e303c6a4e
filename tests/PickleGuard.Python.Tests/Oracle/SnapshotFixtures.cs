namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Fixture files judged by CPython, with committed snapshots (FILE.expected, written by
/// `node tests/oracle/pyodide_dump.mjs --snapshot FILE`, CPython 3.14): the dump, or
/// "rejected: LINE:COL: MESSAGE". Oracle/py314 holds 3.14-only syntax (t-strings, PEP 750;
/// `except A, B:`, PEP 758); Oracle/regressions holds one small file per parser bug the oracle
/// tests found, so each stays fixed without Python installed.
/// </summary>
internal static class SnapshotFixtures
{
    public const string RejectedPrefix = "rejected: ";

    private static readonly string[] Folders = ["py314", "regressions"];

    public static string Directory =>
        OracleEnvironment.TestDataDirectory ?? throw new InvalidOperationException("repository root not found");

    /// <summary>Fixture paths relative to <see cref="Directory"/>, '/'-separated ("py314/tstrings.py").</summary>
    public static IReadOnlyList<string> All() =>
        Folders.SelectMany(folder => System.IO.Directory.EnumerateFiles(Path.Combine(Directory, folder), "*.py", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string FullPath(string relative) => Path.Combine(Directory, relative);

    public static string Snapshot(string relative) => File.ReadAllText(FullPath(relative) + ".expected").TrimEnd('\n');

    /// <summary>Null when our parser agrees with <paramref name="expected"/> (a snapshot line), else why not.</summary>
    public static string? Disagreement(string relative, string expected)
    {
        var ours = ParserUnderTest.Parse(File.ReadAllBytes(FullPath(relative)), FullPath(relative), withDump: true);
        if (ours.Crash is not null)
            return $"{relative}: the parser crashed: {ours.Crash}";
        if (expected.StartsWith(RejectedPrefix, StringComparison.Ordinal))
        {
            return ours.OtherDiagnosticCount > 0
                ? null
                : $"{relative}: CPython rejects it ({expected}) but we report no non-Python-2 diagnostic";
        }
        if (ours.OtherDiagnosticCount > 0 || ours.Python2DiagnosticCount > 0)
            return $"{relative}: CPython accepts it but we report: {ours.FirstOtherDiagnostic ?? ours.FirstPython2Diagnostic}";
        var diff = DumpDiff.Compare(expected, ours.Dump ?? "");
        return diff is null ? null : $"{relative}: dump differs from CPython\n{diff.Describe()}";
    }
}
