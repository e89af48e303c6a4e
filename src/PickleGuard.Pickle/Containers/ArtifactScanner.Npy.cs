using PickleGuard.Pickle.Containers.Formats;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>
    /// <c>.npy</c>: numeric dtypes are plain data; an object dtype (or a structured one with an object field) makes the
    /// payload a pickle, which <c>np.load(allow_pickle=True)</c> unpickles: scan it, with numpy's own array
    /// reconstruction globals allowed whatever the profile (<see cref="IPickleStreamScanner.NpyPayload"/>).
    /// </summary>
    private void ScanNpy(ScanContext context, Stream content, ContainerNode node, string? member)
    {
        node.Format = ContainerFormat.Npy;
        var header = NpyHeader.Read(content, out var problem);
        if (header is null)
        {
            node.Note = problem;
            context.Report(ContainerRuleCodes.Unscannable, member, 0, $"NumPy header could not be read ({problem}); the array was not scanned");
            return;
        }

        node.Note = $"dtype {header.Descr}";
        if (!header.HasObject)
        {
            node.Add(ContainerFormat.Data, "(array data)", header.PayloadOffset, content.CanSeek ? content.Length - header.PayloadOffset : null);
            return;
        }

        context.Report(ContainerRuleCodes.NumpyObjectArray, member, header.PayloadOffset,
            $"NumPy array with dtype {header.Descr}: its payload is a pickle, unpickled by np.load(allow_pickle=True)");
        var payload = node.Add(ContainerFormat.Pickle, "(object array pickle)", header.PayloadOffset, null);
        var seekable = EnsureSeekableKeepingPartial(context, content, member);
        var start = seekable.Position;
        var before = context.Findings.Count;
        ScanPickle(context, new Streams.SubStream(seekable, start, seekable.Length - start), payload, member, pickles.NpyPayload);
        for (var i = before; i < context.Findings.Count; i++)
        {
            context.Findings[i] = Shift(context.Findings[i], offset => offset + header.PayloadOffset);
        }
    }
}
