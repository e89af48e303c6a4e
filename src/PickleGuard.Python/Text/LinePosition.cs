namespace PickleGuard.Python;

/// <summary>A 1-based line with a 0-based column counted in UTF-16 code units (<see cref="Column"/>)
/// and in UTF-8 bytes (<see cref="Utf8Column"/>, as CPython's <c>col_offset</c>).</summary>
public readonly record struct LinePosition(int Line, int Column, int Utf8Column);
