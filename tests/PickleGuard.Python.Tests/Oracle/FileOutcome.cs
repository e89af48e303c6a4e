namespace PickleGuard.Python.Tests.Oracle;

/// <summary>Everything the conformance run learned about one corpus file.</summary>
/// <param name="Path">Relative to the corpus root, '/'-separated.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Reference">The acceptance reference's record (python3, CPython 3.11 here).</param>
/// <param name="DumpOracle">CPython 3.13's record with its dump, when 3.13 is available.</param>
/// <param name="Python2Accepts">Whether CPython 2.7 accepts it (asked only for files 3.x rejects).</param>
/// <param name="Parsed">What the parser under test made of it.</param>
/// <param name="DumpCompared">Whether both dumps were made and compared.</param>
/// <param name="Diff">Where our dump first differs from CPython 3.13's, when both accept.</param>
internal sealed record FileOutcome(
    string Path,
    long Size,
    OracleRecord Reference,
    OracleRecord? DumpOracle,
    bool? Python2Accepts,
    ParsedFile Parsed,
    bool DumpCompared,
    DumpDiff? Diff)
{
    public bool IsPython2Only => !Reference.Accepted && Python2Accepts == true;
}
