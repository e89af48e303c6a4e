namespace PickleGuard.Python.Tests.Oracle;

/// <summary>What the parser under test made of one file, reduced to what the oracle tests compare.</summary>
internal sealed record ParsedFile(
    bool HasTree,
    int Python2DiagnosticCount,
    int OtherDiagnosticCount,
    string? FirstPython2Diagnostic,
    string? FirstOtherDiagnostic,
    string? Dump,
    string? Crash,
    TimeSpan Elapsed)
{
    /// <summary>The parser's verdict: valid Python 3 iff it reported no non-Python-2 diagnostic.</summary>
    public bool Accepts => Crash is null && OtherDiagnosticCount == 0;
}
