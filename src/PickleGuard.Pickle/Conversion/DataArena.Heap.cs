using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Text, big-int digits and bytes: copied once into 1 MiB heap chunks; a large payload keeps its own array.</summary>
internal sealed partial class DataArena
{
    private const int HeapChunkSize = 1 << 20;
    private const int OwnChunkThreshold = 1 << 16;
    private const uint OwnChunk = uint.MaxValue;

    private readonly List<byte[]> _heap = [];
    private int _heapUsed = HeapChunkSize;
    private byte[] _scratch = new byte[256];

    /// <summary>Adds a str: UTF-8 when well-formed, otherwise (lone surrogates) its UTF-16 code units.</summary>
    public int AddStr(string text)
    {
        // A large str is encoded straight into an array of its exact UTF-8 length, which the heap then keeps as is.
        bool large = text.Length >= OwnChunkThreshold;
        var target = large ? new byte[Encoding.UTF8.GetByteCount(text)] : Scratch(text.Length * 3);

        // With replacement off, lone surrogates are reported as invalid data instead of becoming U+FFFD.
        if (Utf8.FromUtf16(text, target, out _, out int written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            var units = new byte[text.Length * 2];
            for (int i = 0; i < text.Length; i++)
            {
                units[2 * i] = (byte)text[i];
                units[2 * i + 1] = (byte)(text[i] >> 8);
            }

            return AddBlob(ArenaKind.StrUtf16, units, units);
        }

        return AddBlob(ArenaKind.Str, target.AsSpan(0, written), large ? target : null);
    }

    /// <summary>Adds a bytes-like or big-int payload; a large one keeps <paramref name="array"/> (when it is exactly the data) instead of a copy.</summary>
    public int AddBlob(ArenaKind kind, ReadOnlySpan<byte> data, byte[]? array = null)
    {
        if (data.Length >= OwnChunkThreshold)
        {
            _heap.Add(array is not null && array.Length == data.Length ? array : data.ToArray());
            return AddValue(kind, ((long)(_heap.Count - 1) << 32) | OwnChunk);
        }

        int needed = data.Length + 3;
        if (_heapUsed + needed > HeapChunkSize)
        {
            _heap.Add(new byte[HeapChunkSize]);
            _heapUsed = 0;
        }

        var chunk = _heap[^1];
        int at = _heapUsed;

        // The length (< 64 K) as a little-endian base-128 varint of at most 3 bytes, then the bytes.
        int pos = at;
        uint length = (uint)data.Length;
        while (length >= 0x80)
        {
            chunk[pos++] = (byte)(length | 0x80);
            length >>= 7;
        }

        chunk[pos++] = (byte)length;
        data.CopyTo(chunk.AsSpan(pos));
        _heapUsed = pos + data.Length;
        return AddValue(kind, ((long)(_heap.Count - 1) << 32) | (uint)at);
    }

    private byte[] Scratch(int capacity)
    {
        if (_scratch.Length < capacity)
        {
            _scratch = new byte[Math.Max(capacity, _scratch.Length * 2)];
        }

        return _scratch;
    }

    /// <summary>The bytes of a Str, StrUtf16, BigInt, Bytes or ByteArray value.</summary>
    public ReadOnlySpan<byte> Blob(int reference)
    {
        long payload = _payloads[reference];
        var chunk = _heap[(int)(payload >> 32)];
        uint at = (uint)payload;
        if (at == OwnChunk)
        {
            return chunk;
        }

        int pos = (int)at;
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = chunk[pos++];
            length |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return chunk.AsSpan(pos, length);
    }
}
