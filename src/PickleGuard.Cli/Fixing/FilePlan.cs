using PickleGuard.Core;

namespace PickleGuard.Cli.Fixing;

/// <summary>One file's accepted edits: the bytes as scanned, the bytes to write, and how many findings they fix.</summary>
internal sealed record FilePlan(string Path, byte[] Original, byte[] Fixed, string OldText, IReadOnlyList<TextEdit> Edits, int FixCount);
