using System.Buffers.Binary;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// Bypasses found in the red-team review of the pickle scanner (docs/pickle-scanner.md, "Red-team review"), rebuilt
/// opcode by opcode and named after the technique. Each one was reported clean (or only as malformed) before its fix.
/// </summary>
public sealed class RedTeamTests
{
    private static readonly byte[] Payload = Seq(Global("os", "system"), Mark, String("id"), MarkTuple, Reduce, Pop);

    private static byte[] JoblibState(int length) => Seq(
        EmptyDict, Mark, Sbu("subclass"), Global("numpy", "ndarray"), Sbu("shape"), Mark, BinInt1(length), MarkTuple,
        Sbu("order"), Sbu("C"), Sbu("dtype"), Global("numpy", "dtype"), Sbu("u1"), [0x89], NewTrue, Tuple3, Reduce, [(byte)'u']);

    private static byte[] BinBytes8Header(int length)
    {
        var header = new byte[9];
        header[0] = 0x8e;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), length);
        return header;
    }

    [Fact]
    public void Joblib_array_wrapper_built_inside_a_frame_that_continues_is_high()
    {
        // pickle.py (joblib.load) has read the whole frame: it takes the array from the frame's end, then runs the payload.
        var inFrame = Seq(EmptyList, Global("joblib.numpy_pickle", "NumpyArrayWrapper"), EmptyTuple, NewObj, JoblibState(Payload.Length), Build, Payload);
        var pickle = Seq(Proto(4), Frame(inFrame.Length), inFrame, Enumerable.Repeat(None, Payload.Length).SelectMany(b => b).ToArray(), Stop);
        var result = Scan.Bytes(pickle, "sklearn");
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.Malformed && f.Severity == Severity.High && f.Message.Contains("FRAME"));
    }

    [Fact]
    public void Joblib_wrapper_made_by_copyreg_reconstructor_still_has_its_array_bytes_skipped()
    {
        var swallow = BinBytes8Header(Payload.Length);
        var wrapper = Seq(Global("copyreg", "_reconstructor"), Mark, Global("joblib.numpy_pickle", "NumpyArrayWrapper"), Global("builtins", "object"), None, MarkTuple, Reduce);
        var pickle = Seq(Proto(2), EmptyList, wrapper, JoblibState(swallow.Length), Build, swallow, Payload, [(byte)'a'], Stop);
        AdvisoryAssert.Dangerous(pickle, "os.system", "sklearn");
    }

    [Fact]
    public void Class_assigned_through_BUILD_slot_state_is_high()
    {
        var template = Seq(Global("copyreg", "_reconstructor"), Mark, Global("string", "Template"), Global("builtins", "object"), None, MarkTuple, Reduce);
        var slots = Seq(EmptyDict, Sbu("__class__"), Global("joblib.numpy_pickle", "NumpyArrayWrapper"), SetItem);
        var pickle = Seq(Proto(2), template, EmptyDict, slots, Tuple2, Build, Stop);
        var result = Scan.Bytes(pickle, "sklearn");
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.CallContract && f.Severity == Severity.High && f.Message.Contains("__class__"));
    }

    [Theory]
    [InlineData("/tmp/uploads/evil.npy")]
    [InlineData("../../outside.npy")]
    [InlineData("C:evil.npy")]
    public void Legacy_joblib_NDArrayWrapper_with_a_path_is_high(string file)
    {
        var pickle = Seq(Proto(2), Global("joblib.numpy_pickle", "NDArrayWrapper"), EmptyTuple, NewObj, EmptyDict, Sbu("filename"), Sbu(file), SetItem, Build, Stop);
        var result = Scan.Bytes(pickle, "sklearn");
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.CallContract && f.Severity == Severity.High && f.Message.Contains(file));
    }

    [Fact]
    public void Legacy_joblib_NDArrayWrapper_with_a_sibling_file_name_is_only_info()
    {
        var pickle = Seq(Proto(2), Global("joblib.numpy_pickle", "NDArrayWrapper"), EmptyTuple, NewObj, EmptyDict, Sbu("filename"), Sbu("model.pkl_01.npy"),
            SetItem, Build, Stop);
        var result = Scan.Bytes(pickle, "sklearn");
        var finding = Assert.Single(result.Findings);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("model.pkl_01.npy", finding.Message);
    }

    [Fact]
    public void Torch_rebuild_from_type_v2_state_that_sets_class_is_high()
    {
        var state = Seq(EmptyDict, Sbu("__class__"), Global("joblib.numpy_pickle", "NumpyArrayWrapper"), SetItem);
        var pickle = Seq(Proto(2), Global("torch._tensor", "_rebuild_from_type_v2"), Mark, Global("collections", "OrderedDict"),
            Global("collections", "OrderedDict"), EmptyTuple, state, MarkTuple, Reduce, Stop);
        var result = Scan.Bytes(pickle, "torch");
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.CallContract && f.Severity == Severity.High && f.Message.Contains("__class__"));
    }

    [Fact]
    public void Memo_fetched_argument_tuple_of_copyreg_newobj_is_high()
    {
        var pickle = Seq(Proto(2), Global("builtins", "set"), EmptyTuple, Reduce, Tuple1, BinPut(1), Pop, Global("copyreg", "__newobj__"), BinGet(1), Reduce, Stop);
        var result = Scan.Bytes(pickle);
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.CallContract && f.Severity == Severity.High && f.Callable == "copyreg.__newobj__");
    }

    [Fact]
    public void NumPy_generator_ctor_with_a_computed_bit_generator_ctor_is_high()
    {
        var pickle = Seq(Proto(2), Global("numpy.random._pickle", "__generator_ctor"), Sbu("id"), Global("builtins", "set"), EmptyTuple, Reduce, Tuple2, Reduce, Stop);
        AdvisoryAssert.Raises(pickle, PickleRules.ComputedCallable, "numpy");
    }

    [Fact]
    public void NumPy_generator_ctor_as_numpy_writes_it_is_clean()
    {
        // Generator.__reduce__ (NumPy >= 1.25): __generator_ctor(bit_generator_object); the bit generator comes from __bit_generator_ctor(MT19937).
        var bitGenerator = Seq(Global("numpy.random._pickle", "__bit_generator_ctor"), Global("numpy.random._mt19937", "MT19937"), Tuple1, Reduce);
        var pickle = Seq(Proto(2), Global("numpy.random._pickle", "__generator_ctor"), bitGenerator, Tuple1, Reduce, Stop);
        Assert.Empty(Scan.Bytes(pickle, "numpy").Findings);
    }

    [Theory]
    [InlineData("bytearray")]
    [InlineData("range")]
    public void Huge_sizes_that_exhaust_memory_are_resource_findings(string name)
    {
        byte[] huge = [0x8a, 5, 0, 0, 0, 0, 0x10];
        var pickle = Seq(Proto(2), Global("builtins", name), huge, Tuple1, Reduce, Stop);
        AdvisoryAssert.Raises(pickle, PickleRules.ResourceLimit);
        Assert.Empty(Scan.Bytes(Seq(Proto(2), Global("builtins", name), BinInt2(4096), Tuple1, Reduce, Stop)).Findings);
    }

    [Theory]
    [InlineData("p1\0junk\n")]
    [InlineData("I1\0junk\n")]
    public void Payload_after_a_line_the_C_unpickler_reads_up_to_a_NUL_is_still_high(string line)
    {
        // The C unpickler parses number lines as NUL-terminated strings; where this scan stops, the rest is swept.
        var pickle = Seq(String("x"), Ascii(line), Pop, Payload, None, Stop);
        AdvisoryAssert.Dangerous(pickle, "os.system");
    }

    [Fact]
    public void Payload_after_a_REDUCE_with_list_arguments_is_still_high()
    {
        // pickle.py (joblib.load) calls func(*args) with any iterable; the C unpickler and this scan stop there.
        var pickle = Seq(Proto(2), Global("builtins", "set"), EmptyList, Reduce, Pop, Payload, None, Stop);
        AdvisoryAssert.Dangerous(pickle, "os.system");
    }

    [Theory]
    [InlineData("weights.unknownext")]
    [InlineData("model.sav")]
    [InlineData("array.npy")]
    public void Pickle_with_a_start_no_sniffer_expects_is_found_whatever_the_name(string name)
    {
        // np.load falls back to pickle.load for a file that is neither npy nor zip; torch.load ignores the name.
        var evasive = Seq(NewTrue, Pop, Payload, None, Stop);
        var path = Path.Combine(Path.GetTempPath(), "pg-redteam-" + Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.WriteAllBytes(path, evasive);
            Assert.True(ArtifactScanner.IsArtifactCandidate(path, evasive.AsSpan(0, Math.Min(64, evasive.Length))));
            var scanner = new ArtifactScanner(new PickleScanner(Scan.Policy("plain"), PickleLimits.Default), ContainerLimits.Default);
            var result = scanner.Scan(path);
            Assert.Contains(result.Findings, f => f.Severity == Severity.High && f.Callable == "os.system");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Theory]
    [InlineData("notes.md")]
    [InlineData("model.pkl")]
    public void Protocol0_payload_that_is_utf8_text_stays_an_artifact(string name)
    {
        // UTF-8 text may be inert text (a Markdown page), but this stream's INST calls os.system before the read breaks.
        var payload = File.ReadAllBytes(Path.Combine(FixturePaths.PickleFixtures, "malicious", "p0_utf8_text_inst_no_stop.pkl"));
        var path = Path.Combine(Path.GetTempPath(), "pg-redteam-" + Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            File.WriteAllBytes(path, payload);
            Assert.True(ArtifactScanner.IsArtifactCandidate(path, payload));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Python_script_without_extension_is_not_taken_for_a_pickle()
    {
        var head = "class Foo:\n    pass\n"u8.ToArray();
        Assert.False(ArtifactScanner.IsArtifactCandidate("tool", head));
    }
}
