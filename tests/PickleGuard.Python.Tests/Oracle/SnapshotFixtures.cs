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

    /// <summary>The known-divergences.txt path of a fixture ("Oracle/regressions/…").</summary>
    public static string ListedPath(string relative) => "Oracle/" + relative;

    /// <summary>Null when our parser agrees with <paramref name="expected"/> (a snapshot line), else how and why not.</summary>
    public static Divergence? Disagreement(string relative, string expected)
    {
        var ours = ParserUnderTest.Parse(File.ReadAllBytes(FullPath(relative)), FullPath(relative), withDump: true);
        var listed = ListedPath(relative);
        if (ours.Crash is not null)
            return new Divergence(listed, DivergenceKind.Crash, "crash", $"{relative}: the parser crashed: {ours.Crash}");
        if (expected.StartsWith(RejectedPrefix, StringComparison.Ordinal))
        {
            // A Python-2 diagnostic is a rejection too: it says "not Python 3" (the stdlib test tells
            // the two apart with CPython 2.7; here the snapshot is CPython 3's verdict alone).
            return ours.OtherDiagnosticCount + ours.Python2DiagnosticCount > 0
                ? null
                : new Divergence(listed, DivergenceKind.AcceptsInvalid, "no diagnostic",
                    $"{relative}: CPython rejects it ({expected}) but we report no diagnostic");
        }
        if (ours.OtherDiagnosticCount > 0)
            return new Divergence(listed, DivergenceKind.RejectsValid, "diagnostic",
                $"{relative}: CPython accepts it but we report: {ours.FirstOtherDiagnostic}");
        if (ours.Python2DiagnosticCount > 0)
            return new Divergence(listed, DivergenceKind.Python2OnValid, "Python 2 diagnostic",
                $"{relative}: CPython accepts it but we flag Python 2: {ours.FirstPython2Diagnostic}");
        var diff = DumpDiff.Compare(expected, ours.Dump ?? "");
        return diff is null
            ? null
            : new Divergence(listed, DivergenceKind.DumpMismatch, diff.Cause, $"{relative}: dump differs from CPython\n{diff.Describe()}");
    }
}
