using PickleGuard.Python;

namespace PickleGuard.Analysis;

/// <summary>
/// One Python file to analyse: its path (as reported in findings) and its raw bytes (null when <see cref="Text"/> is
/// given: a caller that has decoded the file need not keep its bytes).
/// </summary>
public sealed record SourceInput(string Path, byte[]? Content)
{
    /// <summary>
    /// The content already decoded (<see cref="SourceText.From"/> of <see cref="Content"/>, same path), when the caller
    /// has it: the scan then parses it instead of decoding the bytes a second time. Null: the scan decodes.
    /// </summary>
    public SourceText? Text { get; init; }
}
