using System.Buffers.Binary;
using System.Text.Json;
using PickleGuard.Pickle.Conversion;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>
/// joblib dumps whose NumPy arrays follow their wrapper as raw bytes (or as an in-band pickle for object arrays) convert
/// to the same <c>$ndarray</c> form as <c>_reconstruct</c> arrays; the committed fixtures of gen_convert_joblib.py are
/// checked byte for byte by <see cref="ConvertFixtureTests"/> and against the generator's values by the oracle.
/// </summary>
public sealed class ConvertJoblibTests
{
    private static readonly string Containers = Path.Combine(ConvertHelper.Root, "tests", "fixtures", "containers");
    private static readonly string Refused = Path.Combine(ConvertHelper.ConvertFixtures, "refused");

    [Theory]
    [InlineData("model_arrays.joblib")]
    [InlineData("model_arrays.joblib.gz")]
    [InlineData("model_arrays.joblib.bz2")]
    [InlineData("model_arrays.joblib.xz")]
    [InlineData("model_arrays.joblib.lz4")]
    [InlineData("model_arrays.joblib.zst")]
    [InlineData("model_arrays.joblib.z")]
    public void JoblibDumpsConvertInEveryCompressionJoblibWrites(string file)
    {
        var (result, json, _) = ConvertHelper.RunFile(Path.Combine(Containers, "benign", file), "sklearn");

        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        using var document = JsonDocument.Parse(json!);
        var coef = document.RootElement.GetProperty("coef").GetProperty("$ndarray");
        Assert.Equal("<f8", coef.GetProperty("dtype").GetString());
        Assert.Equal([2, 3], coef.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], Doubles(coef.GetProperty("data").GetBytesFromBase64()));
    }

    [Fact]
    public void EstimatorStateKeepsItsArrays()
    {
        var path = Path.Combine(FixturePaths.PickleFixtures, "benign", "sklearn_joblib_inband_array_p4.pkl");

        var (result, json, _) = ConvertHelper.RunFile(path, "sklearn");

        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.Equal("""{"$object":"sklearn.linear_model._base.LinearRegression","args":[],"state":{"coef_":{"$ndarray":{"dtype":"<f8","shape":[3],"data":"AAAAAAAA8D8AAAAAAAAAQAAAAAAAAAhA"}},"_sklearn_version":"1.4.2"}}""", json);
    }

    [Fact]
    public void MaliciousGlobalBeforeTheArrayIsRefusedWithItsNameAndOffset()
    {
        var (result, json, opened) = ConvertHelper.RunFile(Path.Combine(Refused, "joblib_global_before_array.joblib"), "sklearn");

        Assert.False(result.Converted);
        Assert.False(opened);
        Assert.Null(json);
        var refusal = Assert.Single(result.Refusals, r => r.Global == "os.system");
        Assert.Equal("PG201", refusal.Code);
        Assert.Equal(2, refusal.Where.ByteOffset);
    }

    [Theory]
    [InlineData("model_arrays.joblib")]
    [InlineData("model_arrays.joblib.gz")]
    [InlineData("model_arrays.joblib.zst")]
    [InlineData("model_object_array.joblib")]
    public void MaliciousJoblibDumpsStayRefused(string file)
    {
        var (result, _, opened) = ConvertHelper.RunFile(Path.Combine(Containers, "malicious", file), "sklearn");

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == "PG201" && r.Global == "os.system" && r.Where.ByteOffset > 0);
    }

    [Fact]
    public void ItemSizeThatDisagreesWithTheDtypeIsRefusedClearly()
    {
        var (result, _, opened) = ConvertHelper.RunFile(Path.Combine(Refused, "joblib_lying_item_size.joblib"), "sklearn");

        Assert.False(opened);
        var refusal = Assert.Single(result.Refusals);
        Assert.Equal(ConversionCodes.NotRepresentable, refusal.Code);
        Assert.Contains("dtype <S2 (2 bytes per item)", refusal.Message);
        Assert.Contains("4 bytes per item", refusal.Message);
    }

    [Fact]
    public void ObjectArrayWhosePickleIsNotAnArrayIsRefused()
    {
        var path = Path.Combine(FixturePaths.PickleFixtures, "benign", "sklearn_joblib_object_array_p4.pkl");
        var (result, _, opened) = ConvertHelper.RunFile(path, "sklearn");

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == ConversionCodes.NotRepresentable && r.Message.Contains("object array"));
    }

    [Fact]
    public void ObjectArrayWithAPayloadInItsPickleIsRefused()
    {
        var path = Path.Combine(FixturePaths.PickleFixtures, "malicious", "joblib_object_array_inband_payload.pkl");
        var (result, _, opened) = ConvertHelper.RunFile(path, "sklearn");

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == "PG201" && r.Global == "os.system");
    }

    [Theory]
    [InlineData(0, 16L << 20)]
    [InlineData(1, 16L << 20)]
    [InlineData(98_304, 16L << 20)]
    [InlineData(98_305, 16L << 20)]
    [InlineData(300_001, 16L << 20)]
    [InlineData(300_001, 0)]
    [InlineData(300_001, 1L << 20)]
    [InlineData(98_304, 786_432)]
    public void LargeArraysAreWrittenSegmentBySegmentWithEveryByte(int count, long memoryBudget)
    {
        // 98,304 float64 fill exactly one 768 KiB segment; the others straddle segment boundaries. Past the memory budget
        // the segments go to a temporary file and are read back while writing.
        var raw = new byte[count * 8];
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * 8), i * 0.5 - 7);
        }

        var options = ConversionOptions.Default with { MaxArrayBytesInMemory = memoryBudget };
        var json = ConvertHelper.Json(JoblibPickle([count], "f8", "<", raw), "sklearn", options);

        using var document = JsonDocument.Parse(json);
        var array = document.RootElement.GetProperty("$ndarray");
        Assert.Equal(count, array.GetProperty("shape")[0].GetInt32());
        Assert.Equal(raw, array.GetProperty("data").GetBytesFromBase64());
    }

    [Theory]
    [InlineData(16L << 20, 0)]
    [InlineData(1L << 20, 2 * 786_432)] // the first and the last (40,704-byte) segment fit in memory
    [InlineData(0, 2_400_000)]
    public void ArrayDataPastTheMemoryBudgetGoesThroughATemporaryFile(long memoryBudget, long spilled)
    {
        var options = ConversionOptions.Default with { MaxArrayBytesInMemory = memoryBudget };
        var converter = ConvertHelper.Converter("sklearn", options);

        var result = converter.Convert(new MemoryStream(JoblibPickle([300_000], "f8", "<", new byte[2_400_000])), "big.joblib", () => Stream.Null);

        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.Equal(spilled, result.SpilledArrayBytes);
    }

    [Fact]
    public void SpilledArrayDataLeavesNoTemporaryFileBehind()
    {
        static string[] Spills() => Directory.GetFiles(Path.GetTempPath(), "pickleguard-arrays-*");
        var before = Spills();
        var options = ConversionOptions.Default with { MaxArrayBytesInMemory = 0 };

        var json = ConvertHelper.Json(JoblibPickle([1000], "i4", "<", new byte[4000]), "sklearn", options);

        Assert.Contains("\"shape\":[1000]", json);
        Assert.Equal(before, Spills());
    }

    [Fact]
    public void IndentedOutputStillHoldsTheWholeArray()
    {
        var raw = Enumerable.Range(0, 1_000_000).Select(i => (byte)(i * 7)).ToArray();
        var options = ConversionOptions.Default with { Indented = true, MaxArrayBytesInMemory = 1L << 20 };

        var json = ConvertHelper.Json(JoblibPickle([1000, 1000], "u1", "|", raw), "sklearn", options);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(raw, document.RootElement.GetProperty("$ndarray").GetProperty("data").GetBytesFromBase64());
    }

    [Fact]
    public void SubclassesOtherThanNdarrayAreRefused()
    {
        var pickle = JoblibPickle([2], "i4", "<", new byte[8], subclass: ("numpy", "matrix"));

        var (result, _, opened) = ConvertHelper.Run(pickle, "sklearn", ConvertHelper.Allowing("numpy.matrix"));

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == ConversionCodes.NotRepresentable && r.Message.Contains("subclass numpy.matrix"));
    }

    [Fact]
    public void ArraysShorterThanTheirHeaderAreRefusedNotCrashed()
    {
        var pickle = JoblibPickle([4], "f8", "<", new byte[32]);
        var truncated = pickle[..^20];

        var (result, _, opened) = ConvertHelper.Run(truncated, "sklearn");

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == "PG204" && r.Message.Contains("declares 4 items of 8 bytes"));
    }

    [Fact]
    public void ArraysLongerThanTheirHeaderAreRefusedNotMisread()
    {
        // The header says 2 items, 3 follow: joblib.load would run the third as opcodes, and so does the scan.
        var pickle = JoblibPickle([2], "f8", "<", new byte[24]);

        var (result, _, opened) = ConvertHelper.Run(pickle, "sklearn");

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == "PG204" && r.Where.ByteOffset == pickle.Length - 9);
    }

    [Fact]
    public void ScanStillStepsOverTheArrayBytes()
    {
        var pickle = JoblibPickle([3], "f8", "<", Ascii("cos\nsystem\n(S'id'\ntR.NNN"));
        var run = new PickleScanner(Scan.Policy("sklearn"), PickleLimits.Default).Execute(new MemoryStream(pickle));

        Assert.True(run.CompletelyRead);
        Assert.Equal(pickle.Length, run.BytesRead);
        Assert.Empty(run.Problems);
        Assert.DoesNotContain(run.Globals, g => g.ResolvedName == "os.system");
    }

    [Fact]
    public void WrapperMadeByCopyregReconstructorIsAnArrayToo()
    {
        // Protocols 0 and 1 create the wrapper with copyreg._reconstructor; joblib.load reads the array after its BUILD all the same.
        var raw = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(raw, -5);
        BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8), 1L << 40);
        var pickle = JoblibPickle([2], "i8", "<", raw, viaReconstructor: true);

        var json = ConvertHelper.Json(pickle, "sklearn");

        Assert.Equal("""{"$ndarray":{"dtype":"<i8","shape":[2],"data":"+/////////8AAAAAAAEAAA=="}}""", json);
    }

    [Fact]
    public void WrapperBuiltTwiceIsRefused()
    {
        var single = JoblibPickle([1], "u1", "|", [7]);
        // wrapper DUP state BUILD raw state BUILD raw POP: the second BUILD reads a second array for the same wrapper.
        int build = Array.LastIndexOf(single, (byte)'b');
        int stateStart = Array.IndexOf(single, (byte)'}');
        var head = single[..stateStart];
        var state = single[stateStart..build];
        var pickle = Seq(head, Dup, state, Build, [7], state, Build, [8], Pop, Stop);

        var (result, _, opened) = ConvertHelper.Run(pickle, "sklearn");

        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == ConversionCodes.NotRepresentable && r.Message.Contains("built 2 times"));
    }

    /// <summary>A protocol 2 joblib dump of one array (unaligned, as joblib writes into a compressor), then STOP.</summary>
    private static byte[] JoblibPickle(int[] shape, string code, string byteOrder, byte[] raw, (string Module, string Name)? subclass = null,
        bool viaReconstructor = false)
    {
        var (module, name) = subclass ?? ("numpy", "ndarray");
        var dtype = Seq(Global("numpy", "dtype"), BinUnicode(code), [0x89], NewTrue, Tuple3, Reduce,
            Mark, BinInt1(3), BinUnicode(byteOrder), None, None, None, Ascii("J\xff\xff\xff\xffJ\xff\xff\xff\xff"), BinInt1(0), MarkTuple, Build);
        var dims = Seq(shape.Select(d => Ascii("J").Concat(BitConverter.GetBytes(d)).ToArray()).ToArray());
        var state = Seq(EmptyDict, Mark, BinUnicode("subclass"), Global(module, name), BinUnicode("shape"), Mark, dims, MarkTuple,
            BinUnicode("order"), BinUnicode("C"), BinUnicode("dtype"), dtype, BinUnicode("allow_mmap"), NewTrue,
            BinUnicode("numpy_array_alignment_bytes"), None, Ascii("u"));
        var wrapper = viaReconstructor
            ? Seq(Global("copyreg", "_reconstructor"), Mark, Global("joblib.numpy_pickle", "NumpyArrayWrapper"), Global("builtins", "object"), None, MarkTuple, Reduce)
            : Seq(Global("joblib.numpy_pickle", "NumpyArrayWrapper"), EmptyTuple, NewObj);
        return Seq(Proto(2), wrapper, state, Build, raw, Stop);
    }

    private static double[] Doubles(byte[] raw) =>
        Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan(i * 8))).ToArray();
}
