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

    /// <summary>
    /// The scanner for the pickle inside a <c>.npy</c>, under <see cref="PicklePolicy.NpyPayload"/>: numpy's own array
    /// reconstruction globals are allowed there whatever the profile.
    /// </summary>
    IPickleStreamScanner NpyPayload => this;

    /// <summary>
    /// The scanner for the pickles of an identified torch checkpoint, under <see cref="PicklePolicy.TorchPayload"/>: what
    /// <c>torch.load(weights_only=True)</c> accepts is allowed there whatever the profile.
    /// </summary>
    IPickleStreamScanner TorchPayload => this;

    /// <summary>True when <paramref name="head"/> starts like a pickle of any protocol.</summary>
    bool LooksLikePickle(ReadOnlySpan<byte> head);

    /// <summary>
    /// True when content without a known start reads as a pickle: one runs to its STOP, or something is imported or called
    /// before the bytes stop making sense. Used for files whose name does not say what they are.
    /// </summary>
    bool ReadsAsPickle(Stream stream) => PickleProbe.ReadsAsPickle(stream);
}

/// <summary>The part of a pickle scan the container layer uses.</summary>
/// <param name="ImportsJoblibArrayWrapper">The stream imports joblib's <c>NumpyArrayWrapper</c>, so array bytes may follow
/// its BUILD inside the stream.</param>
internal sealed record PickleStreamScan(IReadOnlyList<Finding> Findings, long BytesRead, bool ImportsJoblibArrayWrapper);
