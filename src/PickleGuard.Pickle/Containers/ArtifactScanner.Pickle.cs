using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>
    /// Hands a pickle stream to the pickle scanner (<paramref name="scanner"/>, by default the one for any pickle).
    /// joblib's in-band arrays (raw bytes after a NumpyArrayWrapper's BUILD, object arrays as nested pickles) are stepped
    /// over by the pickle scanner itself.
    /// </summary>
    private void ScanPickle(ScanContext context, Stream content, ContainerNode node, string? member, IPickleStreamScanner? scanner = null)
    {
        var seekable = EnsureSeekableKeepingPartial(context, content, member);
        var scan = (scanner ?? pickles).Scan(seekable, new Location(context.Path, Member: member));
        node.Format = scan.ImportsJoblibArrayWrapper ? ContainerFormat.Joblib : ContainerFormat.Pickle;
        node.Size ??= scan.BytesRead;
        context.Findings.AddRange(scan.Findings);
    }

    private static Finding Shift(Finding finding, Func<long, long> map) => finding with
    {
        Location = ShiftLocation(finding.Location, map),
        Trace = finding.Trace.Select(step => step with { Location = ShiftLocation(step.Location, map) }).ToList(),
    };

    private static Location ShiftLocation(Location location, Func<long, long> map) =>
        location.ByteOffset is { } offset ? location with { ByteOffset = map(offset) } : location;

    /// <summary>
    /// Legacy <c>torch.save</c>: five pickles back to back (magic number, protocol version, sys_info, the object, the
    /// storage keys) and then raw storage bytes, which <c>torch.load</c> reads as data, never as a pickle. The magic number
    /// identifies a checkpoint, so its pickles are judged with what <c>torch.load(weights_only=True)</c> accepts added.
    /// </summary>
    private void ScanTorchLegacy(ScanContext context, Stream content, ContainerNode node, string? member)
    {
        node.Format = ContainerFormat.TorchLegacy;
        var seekable = EnsureSeekableKeepingPartial(context, content, member);
        var checkpoint = pickles.TorchPayload;
        foreach (var label in (string[])["magic number", "protocol version", "sys_info", "object", "storage keys"])
        {
            if (ScanStackedPickle(context, seekable, node, member, label, checkpoint) is null)
            {
                return;
            }
        }

        var rest = seekable.Length - seekable.Position;
        if (rest > 0)
        {
            node.Add(ContainerFormat.Data, "(storages)", seekable.Position, rest);
        }
    }
}
