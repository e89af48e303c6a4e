using PickleGuard.Pickle.Containers.Streams;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class Crc32Tests
{
    [Fact]
    public void CheckValueOfTheStandardTestString()
    {
        Assert.Equal(0xCBF43926u, Crc32.Update(0, "123456789"u8));
    }

    [Fact]
    public void EveryLengthAndEverySplitGiveTheBitwiseCrc()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (var length = 0; length <= data.Length; length++)
        {
            var expected = Bitwise(data.AsSpan(0, length));
            Assert.Equal(expected, Crc32.Update(0, data.AsSpan(0, length)));
            var split = length / 3;
            Assert.Equal(expected, Crc32.Update(Crc32.Update(0, data.AsSpan(0, split)), data.AsSpan(split, length - split)));
        }
    }

    /// <summary>The CRC one bit at a time, without tables: the definition the sliced tables must agree with.</summary>
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
