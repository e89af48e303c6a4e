using System.Buffers.Binary;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// 16 K memo handles stored in the narrowest width that holds them (1, 2 or 4 bytes); a larger handle widens the chunk
/// in place. One byte array and a width instead of typed arrays, so reads need no type checks.
/// </summary>
internal sealed class MemoHandleChunk(int size, int width)
{
    private byte[] _bytes = new byte[size * width];

    public int Width { get; private set; } = width;

    public int Read(int slot) => Width switch
    {
        sizeof(byte) => _bytes[slot],
        sizeof(ushort) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(slot * sizeof(ushort))),
        _ => BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(slot * sizeof(int))),
    };

    public void Write(int slot, int handle)
    {
        int needed = handle <= byte.MaxValue ? sizeof(byte) : handle <= ushort.MaxValue ? sizeof(ushort) : sizeof(int);
        if (needed > Width)
        {
            Widen(needed);
        }

        switch (Width)
        {
            case sizeof(byte):
                _bytes[slot] = (byte)handle;
                break;
            case sizeof(ushort):
                BinaryPrimitives.WriteUInt16LittleEndian(_bytes.AsSpan(slot * sizeof(ushort)), (ushort)handle);
                break;
            default:
                BinaryPrimitives.WriteInt32LittleEndian(_bytes.AsSpan(slot * sizeof(int)), handle);
                break;
        }
    }

    private void Widen(int width)
    {
        int size = _bytes.Length / Width;
        var wider = new MemoHandleChunk(size, width);
        for (int slot = 0; slot < size; slot++)
        {
            wider.Write(slot, Read(slot));
        }

        _bytes = wider._bytes;
        Width = width;
    }
}
