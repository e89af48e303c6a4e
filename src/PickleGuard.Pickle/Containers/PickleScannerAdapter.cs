using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

/// <summary>Connects <see cref="ArtifactScanner"/> to the pickle layer's <see cref="PickleScanner"/> and <see cref="PickleSniffer"/>.</summary>
internal sealed class PickleScannerAdapter(PickleScanner scanner) : IPickleStreamScanner
{
    public PickleStreamScan Scan(Stream stream, Location where)
    {
        var result = scanner.Scan(stream, where);
        return new PickleStreamScan(result.Findings, result.BytesRead, result.CompletelyRead);
    }

    public bool LooksLikePickle(ReadOnlySpan<byte> head) => PickleSniffer.LooksLikePickle(head);
}
