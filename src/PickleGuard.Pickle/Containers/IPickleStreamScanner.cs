using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

/// <summary>
/// What the container layer needs from the pickle layer: scan one pickle stream and recognise a pickle by its head.
/// <see cref="ArtifactScanner"/> adapts <see cref="PickleScanner"/> to it; the seam keeps container tests independent
/// of the opcode machine.
/// </summary>
internal interface IPickleStreamScanner
{
    /// <summary>Scans the pickle stream(s) in <paramref name="stream"/>; never throws on input.</summary>
    PickleStreamScan Scan(Stream stream, Location where);

    /// <summary>True when <paramref name="head"/> starts like a pickle of any protocol.</summary>
    bool LooksLikePickle(ReadOnlySpan<byte> head);
}

/// <summary>The part of a pickle scan the container layer uses.</summary>
/// <param name="ImportsJoblibArrayWrapper">The stream imports joblib's <c>NumpyArrayWrapper</c>, so array bytes may follow
/// its BUILD inside the stream.</param>
internal sealed record PickleStreamScan(IReadOnlyList<Finding> Findings, long BytesRead, bool ImportsJoblibArrayWrapper);
