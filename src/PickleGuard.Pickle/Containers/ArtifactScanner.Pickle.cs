using PickleGuard.Core;
using PickleGuard.Pickle.Containers.Formats;
using PickleGuard.Pickle.Containers.Streams;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>
    /// Hands a pickle stream to the pickle scanner. joblib dumps carry raw array bytes inside the stream: when the scan
    /// shows joblib's array wrapper, the array bytes are located with the opcode walker, cut out, and the stream scanned
    /// again (object arrays, which are nested pickles, on their own), with offsets mapped back.
    /// </summary>
    private void ScanPickle(ScanContext context, Stream content, ContainerNode node, string? member)
    {
        node.Format = ContainerFormat.Pickle;
        var seekable = EnsureSeekableKeepingPartial(context, content, member);
        var start = seekable.Position;
        var where = new Location(context.Path, Member: member);
        var scan = pickles.Scan(seekable, where);
        node.Size ??= scan.BytesRead;
        // Offsets are relative to where the pickle starts, as the pickle scanner counts them.
        var source = new SubStream(seekable, start, seekable.Length - start);
        var walk = scan.ImportsJoblibArrayWrapper ? PickleWalker.Walk(source) : null;

        if (walk is null || walk.Arrays.Count == 0)
        {
            // Not joblib, or array sizes that cannot be computed: the first scan stands (it reports array bytes it
            // could not read as opcodes, so nothing passes unseen).
            context.Findings.AddRange(scan.Findings);
            return;
        }

        node.Format = ContainerFormat.Joblib;
        foreach (var array in walk.Arrays)
        {
            var child = node.Add(array.IsPickle ? ContainerFormat.Pickle : ContainerFormat.Data,
                array.IsPickle ? "(object array pickle)" : "(array data)", array.Start, array.Length);
            if (array.IsPickle)
            {
                var nested = pickles.Scan(new SubStream(source, array.Start, array.Length), where);
                context.Findings.AddRange(nested.Findings.Select(f => Shift(f, offset => offset + array.Start)));
                child.Size = array.Length;
            }
        }

        var view = new ExcisedStream(source, walk.Arrays.Select(a => (a.Start, a.Length)));
        var outer = pickles.Scan(view, where);
        context.Findings.AddRange(outer.Findings.Select(f => Shift(f, view.ToOriginalOffset)));
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
    /// storage keys) and then raw storage bytes, which <c>torch.load</c> reads as data, never as a pickle.
    /// </summary>
    private void ScanTorchLegacy(ScanContext context, Stream content, ContainerNode node, string? member)
    {
        node.Format = ContainerFormat.TorchLegacy;
        var seekable = EnsureSeekableKeepingPartial(context, content, member);
        foreach (var label in (string[])["magic number", "protocol version", "sys_info", "object", "storage keys"])
        {
            if (ScanStackedPickle(context, seekable, node, member, label) is null)
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
