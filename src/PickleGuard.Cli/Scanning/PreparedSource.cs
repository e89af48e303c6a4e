using PickleGuard.Python;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// A Python source ready for analysis: the decoded text handed to the engine (for a notebook, the script made from its
/// code cells), also kept to show code lines and read suppression comments, and the bytes it was decoded from when a
/// fix may rewrite them (null otherwise).
/// </summary>
internal sealed record PreparedSource(string Path, byte[]? Content, SourceText Text, NotebookCellMap? Cells);
