using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

/// <summary>Keeps the (bounded) bytes of every pickle stream the container layer finds, instead of scanning them.</summary>
internal sealed class CapturingPickleScanner(long maxBytesPerStream) : IPickleStreamScanner
{
    public List<PickleStreamBytes> Streams { get; } = [];

    public PickleStreamScan Scan(Stream stream, Location where)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        var truncated = false;
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            var room = maxBytesPerStream - buffer.Length;
            buffer.Write(chunk, 0, (int)Math.Min(read, room));
            if (read > room)
            {
                truncated = true;
                break;
            }
        }

        Streams.Add(new PickleStreamBytes(where.Member, buffer.ToArray(), truncated));
        return new PickleStreamScan([], buffer.Length, ImportsJoblibArrayWrapper: false);
    }

    public bool LooksLikePickle(ReadOnlySpan<byte> head) => PickleSniffer.LooksLikePickle(head);
}
