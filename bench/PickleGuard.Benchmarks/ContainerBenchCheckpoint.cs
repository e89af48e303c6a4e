using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Benchmarks;

/// <summary>
/// Writes a PyTorch-like zip checkpoint: a small <c>archive/data.pkl</c> (an OrderedDict of tensors rebuilt with
/// allowlisted torch globals) and large stored tensor members <c>archive/data/N</c>, as <c>torch.save</c> lays them out.
/// </summary>
internal static class ContainerBenchCheckpoint
{
    public static void Write(string path, int tensorCount, int tensorBytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var central = new MemoryStream();
        var count = 0;
        void Add(string name, ReadOnlySpan<byte> data)
        {
            var offset = file.Position;
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var crc = System.IO.Hashing.Crc32.HashToUInt32(data);
            file.Write(Header(0x04034B50, nameBytes, crc, data.Length, offset: null));
            file.Write(nameBytes);
            file.Write(data);
            central.Write(Header(0x02014B50, nameBytes, crc, data.Length, offset));
            central.Write(nameBytes);
            count++;
        }

        Add("archive/data.pkl", StateDict(tensorCount, tensorBytes / 4));
        var random = new Random(42);
        var tensor = new byte[tensorBytes];
        for (var i = 0; i < tensorCount; i++)
        {
            random.NextBytes(tensor);
            Add($"archive/data/{i}", tensor);
        }

        Add("archive/version", "3\n"u8);
        var directoryOffset = file.Position;
        central.Position = 0;
        central.CopyTo(file);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)directoryOffset);
        file.Write(end);
    }

    // A local (30 bytes) or central (46 bytes) header of a stored member.
    private static byte[] Header(uint signature, byte[] name, uint crc, int size, long? offset)
    {
        var central = offset is not null;
        var header = new byte[central ? 46 : 30];
        var at = central ? 2 : 0; // the central header has "version made by" first
        BinaryPrimitives.WriteUInt32LittleEndian(header, signature);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4 + at), 20);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14 + at), crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18 + at), (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22 + at), (uint)size);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26 + at), (ushort)name.Length);
        if (offset is { } value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), (uint)value);
        }

        return header;
    }

    private static byte[] StateDict(int tensorCount, int elements)
    {
        var pickle = new List<byte>();
        void Text(string s) => pickle.AddRange(Encoding.Latin1.GetBytes(s));
        void Unicode(string s)
        {
            pickle.Add((byte)'X');
            pickle.AddRange(BitConverter.GetBytes(Encoding.UTF8.GetByteCount(s)));
            Text(s);
        }

        void Int(int v)
        {
            pickle.Add((byte)'J');
            pickle.AddRange(BitConverter.GetBytes(v));
        }

        pickle.AddRange([0x80, 0x02]);
        Text("ccollections\nOrderedDict\n)R");
        for (var i = 0; i < tensorCount; i++)
        {
            Unicode($"layers.{i}.weight");
            Text("ctorch._utils\n_rebuild_tensor_v2\n((");
            Unicode("storage");
            Text("ctorch\nFloatStorage\n");
            Unicode(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Unicode("cpu");
            Int(elements);
            Text("tQK\0");
            Int(elements);
            pickle.AddRange([0x85, (byte)'K', 0x01, 0x85, 0x89]); // TUPLE1 (numel,), stride (1,), requires_grad False
            Text("ccollections\nOrderedDict\n)RtRs");
        }

        pickle.Add((byte)'.');
        return [.. pickle];
    }
}
