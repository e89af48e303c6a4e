using PickleGuard.Core;

namespace PickleGuard.Pickle;

/// <summary>The outcome of scanning one byte stream.</summary>
/// <param name="Findings">Findings ordered by byte offset.</param>
/// <param name="Globals">Every distinct global the stream would import, with verdicts and call sites.</param>
/// <param name="BytesRead">Bytes consumed from the stream.</param>
/// <param name="CompletelyRead">True when the whole stream was read as complete pickles within the limits.</param>
public sealed record PickleScanResult(IReadOnlyList<Finding> Findings, IReadOnlyList<PickleGlobal> Globals, long BytesRead, bool CompletelyRead)
{
    /// <summary>Number of complete pickles (STOP reached) in the stream.</summary>
    public int PickleCount { get; init; }
}
