using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>Hard limits are findings; huge declared sizes never allocate.</summary>
public sealed class LimitTests
{
    [Fact]
    public void Declared_length_beyond_the_end_does_not_allocate()
    {
        var pickle = Seq(Proto(4), [0x8e, 0, 0, 0, 0, 0, 0, 0, 0x10], Stop); // BINBYTES8 of 2^60 bytes
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = Scan.Bytes(pickle);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(PickleRules.Malformed, result.Rules());
        Assert.False(result.CompletelyRead);
        Assert.True(allocated < 4_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_far_memo_index_costs_one_chunk_not_an_array_up_to_it()
    {
        // LONG_BINPUT 60,000,000 then LONG_BINGET of the same index: the value comes back, and the memo does not
        // allocate 60 M slots to hold it.
        byte[] index = BitConverter.GetBytes(60_000_000);
        var pickle = Seq(Proto(4), BinInt1(7), [(byte)'r', .. index], Pop, [(byte)'j', .. index], Stop);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = Scan.Bytes(pickle);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(result.Findings);
        Assert.True(result.CompletelyRead);
        Assert.True(allocated < 4_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Large_payloads_are_skipped_not_kept()
    {
        var payload = new byte[20_000_000];
        var header = new byte[5];
        header[0] = (byte)'B';
        BitConverter.TryWriteBytes(header.AsSpan(1), payload.Length);
        var pickle = Seq(Proto(3), header, payload, Stop);
        var limits = PickleLimits.Default with { MaxRetainedBytes = 4096 };
        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = Scan.Bytes(pickle, limits: limits);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(result.Findings);
        Assert.Equal(pickle.Length, result.BytesRead);
        Assert.True(allocated < 2_000_000, $"allocated {allocated} bytes for a 20 MB payload");
    }

    [Fact]
    public void Non_seekable_stream_is_read_to_the_end()
    {
        var pickle = Seq(Proto(4), Sbu("x"), Stop);
        var result = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Scan(new NonSeekableStream(pickle), new Core.Location("pipe"));
        Assert.True(result.CompletelyRead);
        Assert.Equal(pickle.Length, result.BytesRead);
    }

    [Theory]
    [InlineData("stack")]
    [InlineData("marks")]
    [InlineData("memo")]
    [InlineData("opcodes")]
    [InlineData("line")]
    [InlineData("pickles")]
    public void Hitting_a_limit_is_a_resource_limit_finding(string which)
    {
        var limits = PickleLimits.Default with
        {
            MaxStackDepth = 1000, MaxMarkDepth = 100, MaxMemoEntries = 100, MaxOpcodes = 10_000, MaxLineBytes = 100, MaxPickles = 3,
        };
        byte[] pickle = which switch
        {
            "stack" => Seq(Enumerable.Repeat(None, 5000).Append(Stop).ToArray()),
            "marks" => Seq(Enumerable.Repeat(Mark, 500).Append(Stop).ToArray()),
            "memo" => Seq(Proto(4), None, Seq(Enumerable.Repeat(Memoize, 500).ToArray()), Stop),
            "opcodes" => Seq(Proto(4), Seq(Enumerable.Repeat(Seq(None, Pop), 20_000).ToArray()), None, Stop),
            "line" => Seq(Global("os", new string('a', 500)), Stop),
            _ => Seq(Enumerable.Repeat(Seq(None, Stop), 5).ToArray()),
        };
        var result = Scan.Bytes(pickle, limits: limits);
        Assert.Contains(PickleRules.ResourceLimit, result.Rules());
        Assert.False(result.CompletelyRead);
    }

    [Fact]
    public void Nested_pickles_are_bounded()
    {
        byte[] inner = Seq(Proto(4), None, Stop);
        for (int i = 0; i < 6; i++)
        {
            inner = Seq(Proto(3), Global("pickle", "loads"), BinBytes(inner), Tuple1, Reduce, Stop);
        }

        var result = Scan.Bytes(inner);
        Assert.Contains(PickleRules.NestedPickle, result.Rules());
        Assert.Contains(PickleRules.DangerousGlobal, result.Rules());
    }

    /// <summary>Serves at most 7 bytes per read: the scanner must not assume a read fills its buffer.</summary>
    private sealed class NonSeekableStream(byte[] data) : ForwardOnlyStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, Math.Min(count, 7));
    }
}
