using System.Buffers.Binary;

namespace PickleGuard.Pickle.Containers.Streams;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected, as used by zip and gzip), eight bytes a step ("slicing by 8": table k holds the CRC
/// of a byte followed by k zero bytes, so the eight lookups of a step are independent): every member of a zip is
/// checked, and a byte at a time this was as costly as inflating it (the wheels under the standard library).
/// </summary>
internal static class Crc32
{
    private const int Slices = 8;

    /// <summary><see cref="Slices"/> tables of 256 entries, one after the other.</summary>
    private static readonly uint[] Tables = BuildTables();

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        var tables = Tables;
        crc = ~crc;
        while (data.Length >= Slices)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = tables[(7 * 256) + (low & 0xFF)] ^ tables[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ tables[(5 * 256) + ((low >> 16) & 0xFF)] ^ tables[(4 * 256) + (low >> 24)]
                ^ tables[(3 * 256) + (high & 0xFF)] ^ tables[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ tables[256 + ((high >> 16) & 0xFF)] ^ tables[high >> 24];
            data = data[Slices..];
        }
        foreach (var b in data)
        {
            crc = tables[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTables()
    {
        var tables = new uint[Slices * 256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            tables[i] = c;
        }
        for (var slice = 1; slice < Slices; slice++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[((slice - 1) * 256) + i];
                tables[(slice * 256) + i] = (previous >> 8) ^ tables[previous & 0xFF];
            }
        }

        return tables;
    }
}
