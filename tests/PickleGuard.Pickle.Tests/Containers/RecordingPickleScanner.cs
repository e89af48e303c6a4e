using System.Text;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests.Containers;

/// <summary>
/// Stands in for the pickle scanner: records every stream the container layer hands over (its bytes and location), so
/// tests can assert that a payload reached the pickle layer, whole and with the right member path and offsets.
/// </summary>
internal sealed class RecordingPickleScanner : IPickleStreamScanner
{
    public List<(Location Where, byte[] Bytes)> Delivered { get; } = [];

    public PickleStreamScan Scan(Stream stream, Location where)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Delivered.Add((where, copy.ToArray()));
        var bytes = copy.ToArray();
        var importsWrapper = Encoding.Latin1.GetString(bytes).Contains("NumpyArrayWrapper", StringComparison.Ordinal);
        return new PickleStreamScan([], copy.Length, importsWrapper);
    }

    // Protocol 2+ start with PROTO; the protocol 0/1 pickles of the fixtures start with a GLOBAL ("cos\n") or a MARK.
    public bool LooksLikePickle(ReadOnlySpan<byte> head) =>
        head.Length > 1 && (head[0] == 0x80 || (head[0] == 'c' && head[1] is >= (byte)'a' and <= (byte)'z') || head[0] == '(');

    public bool Saw(string text) =>
        Delivered.Exists(d => Encoding.Latin1.GetString(d.Bytes).Contains(text, StringComparison.Ordinal));
}
