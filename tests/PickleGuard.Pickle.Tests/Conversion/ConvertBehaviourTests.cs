using PickleGuard.Pickle.Conversion;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests.Conversion;

/// <summary>Options, limits and the choice of the pickle to convert, on hand-assembled pickles.</summary>
public sealed class ConvertBehaviourTests
{
    private static readonly byte[] Nan = [(byte)'G', 0x7F, 0xF8, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void UnvettedClassIsRefusedUnlessAllowedThenOpaque()
    {
        var pickle = Call4("geometry", "Point", "a");

        var (refused, _, opened) = ConvertHelper.Run(pickle);
        Assert.False(opened);
        var refusal = Assert.Single(refused.Refusals);
        // STACK_GLOBAL follows PROTO (2 bytes), "geometry" (10), MEMOIZE, "Point" (7), MEMOIZE.
        Assert.Equal(("PG202", "geometry.Point", 21L), (refusal.Code, refusal.Global, refusal.Where.ByteOffset));

        var json = ConvertHelper.Json(pickle, options: ConvertHelper.Allowing("geometry.Point"));
        Assert.Equal("""{"$object":"geometry.Point","args":["a"]}""", json);
    }

    [Fact]
    public void NanIsTaggedByDefaultAndAStringOnRequest()
    {
        var pickle = Seq(Proto(2), Nan, Stop);
        Assert.Equal("""{"$float":"nan"}""", ConvertHelper.Json(pickle));
        var options = ConversionOptions.Default with { NanAsString = true };
        Assert.Equal("\"NaN\"", ConvertHelper.Json(pickle, options: options));
    }

    [Fact]
    public void DuplicateKeysUseThePairFormSoTheLastValueWinsAsInPython()
    {
        var pickle = Seq(Proto(2), EmptyDict, Mark, Sbu("a"), BinInt1(1), Sbu("a"), BinInt1(2), [(byte)'u'], Stop);
        Assert.Equal("""{"$dict":[["a",1],["a",2]]}""", ConvertHelper.Json(pickle));
    }

    [Fact]
    public void SharedListIsWrittenOnceAndReferencedAfter()
    {
        // [x, x] with x = [] built through the memo.
        var pickle = Seq(Proto(2), EmptyList, BinPut(0), Mark, EmptyList, BinPut(1), BinGet(1), Appends, Stop);
        Assert.Equal("""[{"$id":1,"$list":[]},{"$ref":1}]""", ConvertHelper.Json(pickle));
    }

    [Fact]
    public void SecondPickleInTheStreamIsRefused()
    {
        var pickle = Seq(Proto(2), BinInt1(1), Stop, Proto(2), BinInt1(2), Stop);
        var (result, _, opened) = ConvertHelper.Run(pickle);
        Assert.False(opened);
        Assert.Equal(ConversionCodes.NoMainPickle, Assert.Single(result.Refusals).Code);
    }

    [Fact]
    public void OutOfBandBufferIsNotRepresentable()
    {
        var pickle = Seq(Proto(5), [0x97], Stop);
        var (result, _, opened) = ConvertHelper.Run(pickle);
        Assert.False(opened);
        var refusal = Assert.Single(result.Refusals, r => r.Code == ConversionCodes.NotRepresentable);
        Assert.Contains("out-of-band", refusal.Message);
    }

    [Fact]
    public void DoublingTuplesAreWrittenOnceEachAsSharedValues()
    {
        // t = (1, 1); t = (t, t) forty times: 2^40 values if shared tuples were written out each time they occur.
        var doubling = Enumerable.Repeat(Seq(Dup, Tuple2), 40).SelectMany(b => b).ToArray();
        var pickle = Seq(Proto(2), BinInt1(1), doubling, Stop);
        var json = ConvertHelper.Json(pickle);
        // Every tuple but the outermost is reached twice: 39 ids, 39 references, the innermost (1, 1) once in full.
        Assert.Equal(39, json.Split("\"$id\"").Length - 1);
        Assert.Equal(39, json.Split("\"$ref\"").Length - 1);
        Assert.StartsWith("""{"$tuple":[{"$id":1,"$tuple":[{"$id":2,"$tuple":[""", json);
        Assert.Contains("""{"$id":39,"$tuple":[1,1]},{"$ref":39}]}""", json);
        Assert.EndsWith("""{"$ref":2}]},{"$ref":1}]}""", json);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ValuesAreCountedAgainFromZeroWhenWriting(bool asSet)
    {
        // 101 values under a limit of 150: the write pass must not add its count to the analysis pass's (which once
        // stopped the output halfway). As a set (builtins.set, the value tree) and as a list (the compact store).
        var items = Enumerable.Repeat(BinInt1(7), 100).SelectMany(b => b).ToArray();
        var list = Seq(EmptyList, Mark, items, Appends);
        var pickle = asSet ? Seq(Proto(2), Global("builtins", "set"), list, Tuple1, Reduce, Stop) : Seq(Proto(2), list, Stop);
        var (result, json, _) = ConvertHelper.Run(pickle, options: ConversionOptions.Default with { MaxOutputValues = 150 });
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.Equal(!asSet, result.Compact);
        var body = "[" + string.Join(",", Enumerable.Repeat("7", 100)) + "]";
        Assert.Equal(asSet ? "{\"$set\":" + body + "}" : body, json);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LongStrFetchedManyTimesIsRefusedByTheTextLimit(bool asSet)
    {
        // A 1,000-character str memoized once and fetched 100 times: 101,000 characters of JSON from 1.3 KB of pickle.
        var gets = Enumerable.Repeat(BinGet(0), 100).SelectMany(b => b).ToArray();
        var list = Seq(EmptyList, Mark, BinUnicode(new string('x', 1000)), BinPut(0), gets, Appends);
        var pickle = asSet ? Seq(Proto(2), Global("builtins", "set"), list, Tuple1, Reduce, Stop) : Seq(Proto(2), list, Stop);
        var (result, _, opened) = ConvertHelper.Run(pickle, options: ConversionOptions.Default with { MaxOutputTextBytes = 50_000 });
        Assert.False(opened);
        Assert.Contains("more than 50000 bytes of text", Assert.Single(result.Refusals).Message);
    }

    [Fact]
    public void StrExpansionBombIsRefusedUnderTheDefaultTextLimit()
    {
        // A 1 MiB str fetched 300 times: 300 MiB of JSON from a 1 MiB pickle (the default allows 256 MiB or 16 per byte).
        var gets = Enumerable.Repeat(BinGet(0), 300).SelectMany(b => b).ToArray();
        var pickle = Seq(Proto(4), EmptyList, Mark, BinUnicode(new string('x', 1 << 20)), BinPut(0), gets, Appends, Stop);
        var (result, _, opened) = ConvertHelper.Run(pickle);
        Assert.False(opened);
        Assert.Contains("more than 268435456 bytes of text", Assert.Single(result.Refusals).Message);
    }

    [Fact]
    public void MoreValuesThanTheLimitAreRefusedBeforeAnythingIsWritten()
    {
        // A list of 100 ints with a limit of 50 values.
        var items = Enumerable.Repeat(BinInt1(7), 100).SelectMany(b => b).ToArray();
        var pickle = Seq(Proto(2), EmptyList, Mark, items, Appends, Stop);
        var (result, _, opened) = ConvertHelper.Run(pickle, options: ConversionOptions.Default with { MaxOutputValues = 50 });
        Assert.False(opened);
        Assert.Contains("more than 50 values", Assert.Single(result.Refusals).Message);
    }

    [Fact]
    public void NestingDeeperThanTheLimitIsRefused()
    {
        var pickle = Seq(Proto(2), Enumerable.Repeat(EmptyList, 50).SelectMany(b => b).ToArray(),
            Enumerable.Repeat(new byte[] { (byte)'a' }, 49).SelectMany(b => b).ToArray(), Stop);
        Assert.StartsWith("[[[[", ConvertHelper.Json(pickle));
        var (result, _, _) = ConvertHelper.Run(pickle, options: ConversionOptions.Default with { MaxDepth = 20 });
        Assert.Contains("more than 20 levels", Assert.Single(result.Refusals).Message);
    }

    [Fact]
    public void TruncatedPickleIsRefusedAsMalformed()
    {
        var pickle = Seq(Proto(2), EmptyList, Mark, BinInt1(1));
        var (result, _, opened) = ConvertHelper.Run(pickle);
        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == "PG204" && r.Where.ByteOffset is not null);
    }

    [Fact]
    public void TorchZipConvertsItsDataPklUnderTheTorchProfile()
    {
        var path = Path.Combine(ConvertHelper.Root, "tests", "fixtures", "containers", "benign", "torch_model.pt");
        var (result, json, _) = ConvertHelper.RunFile(path, "torch");
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.EndsWith("data.pkl", result.Member);
        Assert.StartsWith("""{"$ordereddict":{"weight":{"$object":"torch._utils._rebuild_tensor_v2","args":[{"$persistent":{"$tuple":["storage",""", json);
    }

    [Fact]
    public void LegacyTorchFileConvertsItsObjectPickleUnderTheTorchProfile()
    {
        var path = Path.Combine(ConvertHelper.Root, "tests", "fixtures", "containers", "benign", "legacy_torch.pt");
        var (result, json, _) = ConvertHelper.RunFile(path, "torch");
        Assert.True(result.Converted, string.Join("\n", result.Refusals));
        Assert.Null(result.Member);
        Assert.Equal(
            """{"$ordereddict":{"weight":{"$object":"torch._utils._rebuild_tensor_v2","args":[{"$persistent":{"$tuple":["storage",{"$global":"torch.FloatStorage"},"94","cpu",4]}},0,{"$tuple":[4]},{"$tuple":[1]},false,{"$ordereddict":{}}]}}}""",
            json);
    }

    [Fact]
    public void LegacyTorchFileIsRefusedUnderThePlainProfile()
    {
        var path = Path.Combine(ConvertHelper.Root, "tests", "fixtures", "containers", "benign", "legacy_torch.pt");
        var (result, _, opened) = ConvertHelper.RunFile(path, "plain");
        Assert.False(opened);
        Assert.Contains(result.Refusals, r => r.Code == "PG202" && r.Global == "torch._utils._rebuild_tensor_v2");
    }

    [Fact]
    public void ConvertToFileWritesTheJsonAndNoLeftovers()
    {
        var directory = Directory.CreateTempSubdirectory("pickleguard-convert-").FullName;
        try
        {
            var input = Path.Combine(directory, "in.pkl");
            File.WriteAllBytes(input, Seq(Proto(2), EmptyDict, Sbu("$k"), BinInt1(7), SetItem, Stop));
            var output = Path.Combine(directory, "out.json");
            var result = ConvertHelper.Converter().ConvertToFile(input, output);
            Assert.True(result.Converted);
            Assert.Equal("""{"$$k":7}""", File.ReadAllText(output));
            Assert.Equal(result.BytesWritten, new FileInfo(output).Length);
            Assert.Equal(["in.pkl", "out.json"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
