namespace PickleGuard.Python.Tests.Oracle;

/// <summary>How the parser under test disagrees with CPython on one file.</summary>
internal enum DivergenceKind
{
    /// <summary>CPython accepts the file; we report a non-Python-2 diagnostic.</summary>
    RejectsValid,

    /// <summary>CPython accepts the file; we flag Python-2 syntax in it.</summary>
    Python2OnValid,

    /// <summary>CPython rejects the file (and Python 2.7 does too); we report no non-Python-2 diagnostic.</summary>
    AcceptsInvalid,

    /// <summary>A Python-2-only file (3.x rejects, 2.7 accepts) without a Python-2 diagnostic or without a tree.</summary>
    Python2Missed,

    /// <summary>Both accept; the dumps differ.</summary>
    DumpMismatch,

    /// <summary>The parser or the dump threw.</summary>
    Crash,
}
