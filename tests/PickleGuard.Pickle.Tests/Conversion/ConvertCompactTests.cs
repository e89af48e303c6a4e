using System.Text;

namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>
/// Plain-data pickles are rebuilt in the compact store (<c>DataArena</c>) and must give exactly the JSON the machine's
/// value tree gives; pickles with objects keep using the tree.
/// </summary>
public sealed class ConvertCompactTests
{
    public static TheoryData<string> PlainFixtures()
    {
        var data = new TheoryData<string>();
        string[] plain = ["scalars", "strings", "nested", "cyclic", "records", "huge_ints", "deep", "dollar_keys", "unicode_keys"];
        foreach (var name in plain)
        {
            for (int protocol = 0; protocol <= 5; protocol++)
            {
                if (File.Exists(Path.Combine(ConvertHelper.ConvertFixtures, $"{name}_p{protocol}.pkl")))
                {
                    data.Add($"{name}_p{protocol}.pkl");
                }
            }
        }

        // Protocol 4 writes sets and frozensets with their own opcodes, protocol 5 bytearrays (no global).
        data.Add("sets_p4.pkl");
        data.Add("sets_p5.pkl");
        data.Add("odd_keys_p4.pkl");
        data.Add("odd_keys_p5.pkl");
        data.Add("bytes_p5.pkl");
        data.Add("shared_p5.pkl");
        return data;
    }

    [Theory]
    [MemberData(nameof(PlainFixtures))]
    public void PlainDataFixtureIsRebuiltCompactly(string file)
    {
        var path = Path.Combine(ConvertHelper.ConvertFixtures, file);
        var (result, json, _) = ConvertHelper.RunFile(path);
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.True(result.Compact, file + " should be plain data");
        var expected = File.ReadAllText(Path.ChangeExtension(path, ".expected.json"), Encoding.UTF8);
        Assert.Equal(expected.TrimEnd('\n'), json!.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("datetimes_p4.pkl")]
    [InlineData("sets_p2.pkl")]
    [InlineData("bytes_p2.pkl")]
    [InlineData("shared_p4.pkl")]
    public void PickleWithGlobalsUsesTheValueTree(string file)
    {
        var (result, _, _) = ConvertHelper.RunFile(Path.Combine(ConvertHelper.ConvertFixtures, file));
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.False(result.Compact);
    }

    [Fact]
    public void ListGrownInBatchesAroundOtherContainersKeepsEveryItemInOrder()
    {
        // [ [0], [1], ... ] appended in batches of 3 with each inner list built (and memoized) between the batches,
        // so the outer list's items have to move in the store several times.
        var pickle = new List<byte> { 0x80, 4, (byte)']', 0x94 };
        const int count = 40;
        for (int i = 0; i < count; i += 3)
        {
            pickle.Add((byte)'(');
            for (int j = i; j < Math.Min(count, i + 3); j++)
            {
                pickle.AddRange([(byte)']', 0x94, (byte)'K', (byte)j, (byte)'a']);
            }

            pickle.Add((byte)'e');
        }

        pickle.Add((byte)'.');
        var (result, json, _) = ConvertHelper.Run([.. pickle]);
        Assert.True(result.Compact);
        Assert.Equal("[" + string.Join(",", Enumerable.Range(0, count).Select(i => $"[{i}]")) + "]", json);
    }

    [Fact]
    public void ListLargerThanAnItemChunkFollowedByEmptyContainersConverts()
    {
        // 300,000 ints appended in batches of 1000, each batch followed by an empty memoized dict appended too: the
        // outer list outgrows the shared item chunks and gets one of its own, and the dicts must not land in it.
        var pickle = new List<byte> { 0x80, 4, (byte)']', 0x94 };
        const int batches = 300;
        for (int b = 0; b < batches; b++)
        {
            pickle.Add((byte)'(');
            for (int i = 0; i < 1000; i++)
            {
                pickle.AddRange([(byte)'K', (byte)(i & 0xFF)]);
            }

            pickle.AddRange([(byte)'}', 0x94, (byte)'e']);
        }

        pickle.Add((byte)'.');
        var (result, json, _) = ConvertHelper.Run([.. pickle]);
        Assert.True(result.Compact, string.Join("\n", result.Refusals));
        var batch = string.Join(",", Enumerable.Range(0, 1000).Select(i => (i & 0xFF).ToString(System.Globalization.CultureInfo.InvariantCulture))) + ",{}";
        Assert.Equal("[" + string.Join(",", Enumerable.Repeat(batch, batches)) + "]", json);
    }

    [Fact]
    public void StreamThatCannotSeekIsReadOnceIntoMemoryAndConverted()
    {
        var path = Path.Combine(ConvertHelper.ConvertFixtures, "records_p4.pkl");
        using var input = new ForwardOnlyStream(File.ReadAllBytes(path));
        var output = new MemoryStream();
        var result = ConvertHelper.Converter().Convert(input, "records_p4.pkl", () => output);
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.True(result.Compact);
        Assert.Equal(File.ReadAllText(Path.ChangeExtension(path, ".expected.json")), Encoding.UTF8.GetString(output.ToArray()));
    }

    /// <summary>A pipe-like stream: readable once, front to back.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }

    [Fact]
    public void StrAndBytesLargerThanAHeapRunKeepTheirOwnArrays()
    {
        // A 70,000-character str with 2-byte UTF-8 characters and 100,000 bytes, as (str, bytes).
        var text = string.Concat(Enumerable.Range(0, 70_000).Select(i => i % 2 == 0 ? "é" : "a"));
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        var utf8 = Encoding.UTF8.GetBytes(text);
        var pickle = new List<byte> { 0x80, 4, (byte)'X' };
        pickle.AddRange(BitConverter.GetBytes(utf8.Length));
        pickle.AddRange(utf8);
        pickle.Add((byte)'B');
        pickle.AddRange(BitConverter.GetBytes(data.Length));
        pickle.AddRange(data);
        pickle.AddRange([0x86, (byte)'.']);
        var (result, json, _) = ConvertHelper.Run([.. pickle]);
        Assert.True(result.Compact, string.Join("\n", result.Refusals));
        Assert.Equal("{\"$tuple\":[\"" + text + "\",{\"$bytes\":\"" + Convert.ToBase64String(data) + "\"}]}", json);
    }

    [Fact]
    public void NegativeLargeAndInlineIntsAndLoneSurrogatesSurvive()
    {
        // (0, -1, 2**31 - 1, 2**31, -2**63) as BININT/LONG1, then '\ud800' (lone surrogate) as BINUNICODE with surrogatepass.
        byte[] pickle =
        [
            0x80, 4, (byte)'(', (byte)'K', 0, (byte)'J', 0xFF, 0xFF, 0xFF, 0xFF, (byte)'J', 0xFF, 0xFF, 0xFF, 0x7F,
            0x8a, 5, 0, 0, 0, 0x80, 0, 0x8a, 8, 0, 0, 0, 0, 0, 0, 0, 0x80,
            0x8c, 3, 0xED, 0xA0, 0x80, (byte)'t', (byte)'.',
        ];
        var (result, json, _) = ConvertHelper.Run(pickle);
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.True(result.Compact);
        Assert.Equal("""{"$tuple":[0,-1,2147483647,2147483648,-9223372036854775808,{"$str":[55296]}]}""", json);
    }
}
