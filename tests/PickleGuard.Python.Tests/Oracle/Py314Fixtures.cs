namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// The Python 3.14-only fixtures under Oracle/py314 (t-strings, PEP 750; `except A, B:`, PEP 758)
/// and their committed CPython 3.14 snapshots (FILE.expected, written by
/// `node tests/oracle/pyodide_dump.mjs --snapshot FILE`): the dump, or "rejected: LINE:COL: MESSAGE".
/// </summary>
internal static class Py314Fixtures
{
    public const string RejectedPrefix = "rejected: ";

    public static string Directory =>
        Path.Combine(OracleEnvironment.TestDataDirectory ?? throw new InvalidOperationException("repository root not found"), "py314");

    /// <summary>Fixture paths relative to <see cref="Directory"/>, '/'-separated.</summary>
    public static IReadOnlyList<string> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.py", SearchOption.AllDirectories)
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
                : $"{relative}: CPython 3.14 rejects it ({expected}) but we report no non-Python-2 diagnostic";
        }
        if (ours.OtherDiagnosticCount > 0 || ours.Python2DiagnosticCount > 0)
            return $"{relative}: CPython 3.14 accepts it but we report: {ours.FirstOtherDiagnostic ?? ours.FirstPython2Diagnostic}";
        var diff = DumpDiff.Compare(expected, ours.Dump ?? "");
        return diff is null ? null : $"{relative}: dump differs from CPython 3.14\n{diff.Describe()}";
    }
}
