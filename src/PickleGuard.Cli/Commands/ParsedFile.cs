using PickleGuard.Reporting;

namespace PickleGuard.Cli.Commands;

/// <summary>What <c>parse</c> keeps of one file: its diagnostics (the tree is dropped at once to keep memory flat).</summary>
internal sealed record ParsedFile(string Path, IReadOnlyList<SyntaxProblem> Errors, string? ReadError, NotebookCellMap? Cells);
