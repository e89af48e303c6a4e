namespace PickleGuard.Reporting;

/// <summary>
/// A syntax error in a scanned source file. It is reported next to the findings: the rest of the file and
/// of the project is still analysed, so a syntax error is not a finding but a gap in coverage.
/// </summary>
/// <param name="Python2">True when the construct is valid Python 2 only (e.g. a <c>print</c> statement).</param>
public sealed record SyntaxProblem(string Path, int Line, int Column, string Message, bool Python2);
