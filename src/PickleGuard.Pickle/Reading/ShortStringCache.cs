using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Pickle.Reading;

/// <summary>
/// Reuses the string objects of short ASCII payloads: large pickles repeat the same keys and names millions of
/// times, and allocating each one again dominates the scan. A direct-mapped table indexed by a hash of the bytes:
/// a hit costs one hash and one compare, without decoding; a collision simply replaces the slot. Fixed size, chosen
/// by the reader: a short input (a file's first bytes probed during discovery) gets a small table.
/// </summary>
internal sealed class ShortStringCache
{
    public const int DefaultSlotBits = 14;

    private const int MaxLength = 64;

    private readonly int _slotBits;
    private readonly string?[] _slots;

    public ShortStringCache(int slotBits = DefaultSlotBits)
    {
        _slotBits = slotBits;
        _slots = new string?[1 << slotBits];
    }

    /// <summary>The string for an ASCII payload of at most 64 bytes, or null when the payload is longer or not ASCII.</summary>
    public string? GetOrDecode(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxLength)
        {
            return null;
        }

        ref var slot = ref _slots[(int)(Hash(data) >> (64 - _slotBits))];
        if (slot is { } cached && cached.Length == data.Length && Ascii.Equals(data, cached))
        {
            return cached;
        }

        if (!Ascii.IsValid(data))
        {
            return null;
        }

        slot = Encoding.ASCII.GetString(data);
        return slot;
    }

    private static ulong Hash(ReadOnlySpan<byte> data)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        ulong hash = (ulong)data.Length * Multiplier;
        while (data.Length >= sizeof(ulong))
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(data)) * Multiplier;
            hash ^= hash >> 29;
            data = data[sizeof(ulong)..];
        }

        ulong tail = 0;
        for (int i = 0; i < data.Length; i++)
        {
            tail |= (ulong)data[i] << (8 * i);
        }

        hash = (hash ^ tail) * Multiplier;
        return hash ^ (hash >> 31);
    }
}
