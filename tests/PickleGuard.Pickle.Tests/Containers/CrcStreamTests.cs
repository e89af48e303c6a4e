using PickleGuard.Pickle.Containers.Streams;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class CrcStreamTests
{
    [Fact]
    public void CheckValueOfTheStandardTestString()
    {
        Assert.Equal(0xCBF43926u, CrcOf("123456789"u8.ToArray(), 4));
    }

    [Fact]
    public void EveryLengthReadInAnyPiecesGivesTheBitwiseCrc()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            var expected = Bitwise(data.AsSpan(0, length));
            foreach (var piece in (int[])[1, 7, 64, 100, 8192])
            {
                Assert.Equal(expected, CrcOf(data[..length], piece));
            }
        }
    }

    /// <summary>
    /// The CRC a <see cref="CrcStream"/> reports after reading <paramref name="data"/> <paramref name="piece"/> bytes at a
    /// time up to its middle, then draining the rest (as the zip scanner does after a member's scan stops early).
    /// </summary>
    private static uint CrcOf(byte[] data, int piece)
    {
        var crc = new CrcStream(new MemoryStream(data));
        var buffer = new byte[piece];
        while (crc.BytesRead < data.Length / 2 && crc.Read(buffer) > 0)
        {
        }
        crc.Drain();
        Assert.Equal(data.Length, crc.BytesRead);
        return crc.Crc;
    }

    /// <summary>The CRC one bit at a time, without tables: the definition the library's must agree with.</summary>
    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
