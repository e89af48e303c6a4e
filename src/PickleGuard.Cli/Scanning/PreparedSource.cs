using PickleGuard.Python;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// A Python source ready for analysis: the bytes handed to the engine (for a notebook, the script made from its code
/// cells) and the decoded text, kept to show code lines and read suppression comments.
/// </summary>
internal sealed record PreparedSource(string Path, byte[] Content, SourceText Text, NotebookCellMap? Cells);
