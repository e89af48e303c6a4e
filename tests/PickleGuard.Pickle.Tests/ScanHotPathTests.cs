using PickleGuard.Core;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// The scan-mode hot path: simple opcodes decoded straight from the reader's buffer, and containers recycled once
/// APPENDS/SETITEMS only counted them. Both must give exactly what the general path gives.
/// </summary>
public class ScanHotPathTests
{
    public static TheoryData<string> FixtureFiles()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path.Combine(FixturePaths.PickleFixtures, "manifest.tsv")).Skip(1))
        {
            data.Add(line.Split('\t')[0]);
        }

        return data;
    }

    /// <summary>
    /// Reads that return a few bytes at a time keep the buffered window tiny, so most opcodes take the general path
    /// (and every refill boundary falls inside some opcode): the findings must not change.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void Fixture_findings_do_not_depend_on_how_the_stream_is_chunked(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FixturePaths.PickleFixtures, file));
        var whole = Describe(Scan.Bytes(bytes, "torch"));
        Assert.NotEmpty(whole);
        foreach (int chunk in new[] { 1, 3, 7 })
        {
            var scanner = new PickleScanner(Scan.Policy("torch"), PickleLimits.Default);
            var chunked = Describe(scanner.Scan(new ChunkedStream(bytes, chunk), new Location("test.pkl")));
            Assert.Equal(whole, chunked);
        }
    }

    [Fact]
    public void A_dup_copy_of_a_dropped_tuple_is_not_recycled_twice()
    {
        // [L, MARK, 0..69, T, T] APPENDS: both copies of T are past the 64 kept items. If T were taken back twice,
        // the two tuples made next would be one object and the call below would show (3, 4) twice.
        var pickle = Asm.Seq(
            Asm.Proto(4), Asm.EmptyList, Asm.Mark, Asm.Seq(Enumerable.Range(0, 70).Select(i => Asm.BinInt1(i)).ToArray()),
            Asm.BinInt1(9), Asm.BinInt1(9), Asm.Tuple2, Asm.Dup, Asm.Appends,
            Asm.Sbu("builtins"), Asm.Sbu("set"), Asm.StackGlobal,
            Asm.BinInt1(1), Asm.BinInt1(2), Asm.Tuple2, Asm.BinInt1(3), Asm.BinInt1(4), Asm.Tuple2, Asm.Tuple2, Asm.Tuple1,
            Asm.Reduce, [(byte)'a'], Asm.Stop);
        var result = Scan.Bytes(pickle);
        Assert.Empty(result.Findings);
        var set = Assert.Single(result.Globals);
        Assert.Equal("(((1, 2), (3, 4)))", Assert.Single(set.Calls).Arguments);
    }

    [Fact]
    public void Kept_items_stay_exact_while_later_containers_are_recycled()
    {
        // 100 tuples (i, 7): the first 64 are kept by the list, the other 36 are recycled into the 100 dicts that follow.
        var tuples = Enumerable.Range(0, 100).Select(i => Asm.Seq(Asm.BinInt1(i), Asm.BinInt1(7), Asm.Tuple2)).ToArray();
        var dicts = Enumerable.Range(0, 100).Select(i => Asm.Seq(Asm.EmptyDict, Asm.Sbu("k"), Asm.BinInt1(i), Asm.SetItem)).ToArray();
        var pickle = Asm.Seq(Asm.Proto(4), Asm.EmptyList, Asm.Mark, Asm.Seq(tuples), Asm.Appends, Asm.Mark, Asm.Seq(dicts), Asm.Appends, Asm.Stop);
        var run = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Execute(new MemoryStream(pickle));
        Assert.True(run.CompletelyRead);
        var list = Assert.Single(run.Results).AsContainer!;
        Assert.Equal(200, list.Count);
        Assert.Equal(64, list.Items.Count);
        for (int i = 0; i < 64; i++)
        {
            var tuple = list.Items[i].AsContainer!;
            Assert.Equal(PickleValueKind.Tuple, tuple.Kind);
            Assert.Equal([(long)i, 7L], tuple.Items.Select(v => v.Scalar));
        }
    }

    [Fact]
    public void A_kept_call_result_keeps_its_arguments_while_later_containers_are_recycled()
    {
        // set(((5, 6),)) is the list's first item; the 100 tuples appended after it are dropped and recycled.
        var tuples = Enumerable.Range(0, 100).Select(i => Asm.Seq(Asm.BinInt1(i), Asm.BinInt1(i), Asm.Tuple2)).ToArray();
        var pickle = Asm.Seq(
            Asm.Proto(4), Asm.EmptyList, Asm.Sbu("builtins"), Asm.Sbu("set"), Asm.StackGlobal,
            Asm.BinInt1(5), Asm.BinInt1(6), Asm.Tuple2, Asm.Tuple1, Asm.Reduce, [(byte)'a'],
            Asm.Mark, Asm.Seq(tuples), Asm.Appends, Asm.Mark, Asm.Seq(tuples), Asm.Appends, Asm.Stop);
        var run = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Execute(new MemoryStream(pickle));
        Assert.True(run.CompletelyRead);
        var list = Assert.Single(run.Results).AsContainer!;
        Assert.Equal(201, list.Count);
        var call = list.Items[0].AsObject!;
        Assert.Equal("((5, 6),)", Rendering.ValueFormatter.Format(call.Arguments, 80));
        Assert.Equal("((5, 6))", Assert.Single(Assert.Single(run.Globals).Calls).Arguments);
    }

    [Fact]
    public void Memo_entries_stay_exact_when_their_chunk_is_widened_to_two_and_four_bytes()
    {
        // 'os' and 'system' are memo entries 0 and 1, stored while their chunk is one byte wide; 70,000 distinct kept
        // names follow, so the chunk is widened twice. Both ends must still resolve exactly through LONG_BINGET.
        static byte[] LongBinGet(int index) => [(byte)'j', (byte)index, (byte)(index >> 8), (byte)(index >> 16), (byte)(index >> 24)];
        var names = Enumerable.Range(0, 70_000).Select(i => Asm.Seq(Asm.Sbu($"n{i}"), Asm.Memoize, Asm.Pop)).ToArray();
        var pickle = Asm.Seq(
            Asm.Proto(4), Asm.Sbu("os"), Asm.Memoize, Asm.Pop, Asm.Sbu("system"), Asm.Memoize, Asm.Pop, Asm.Seq(names),
            LongBinGet(0), LongBinGet(1), Asm.StackGlobal, LongBinGet(70_001), LongBinGet(301), Asm.StackGlobal, Asm.Tuple2, Asm.Stop);
        var result = Scan.Bytes(pickle);
        Assert.True(result.CompletelyRead);
        Assert.Equal(["os.system", "n69999.n299"], result.Globals.Select(g => $"{g.Module}.{g.Name}"));
        Assert.Equal(["PG201", "PG202"], result.Rules());
    }

    [Fact]
    public void Unknown_is_the_last_value_kind_because_the_memo_numbers_its_handles_after_it()
    {
        Assert.Equal(PickleValueKind.Unknown, Enum.GetValues<PickleValueKind>().Max());
    }

    private static List<string> Describe(PickleScanResult result) =>
        [
            .. result.Findings.Select(f => $"{f.RuleCode} {f.Severity} {f.Location.ByteOffset} {f.Message}"),
            .. result.Globals.Select(g => $"{g.ResolvedName} {g.Verdict} {g.ByteOffset} {g.Occurrences} {string.Join(" | ", g.Calls.Select(c => $"{c.ByteOffset} {c.Kind} {c.Arguments}"))}"),
            $"read {result.BytesRead} complete {result.CompletelyRead} pickles {result.PickleCount}",
        ];

    /// <summary>A seekable stream whose reads return at most <c>chunk</c> bytes.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }
}
