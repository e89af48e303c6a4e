using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// What a scan keeps alive, measured as the process's live managed memory (<see cref="GC.GetTotalMemory"/>): run alone
/// (<see cref="LiveMemoryTestsCollection"/>), since tests running beside it would count their own objects.
/// </summary>
[Collection(nameof(LiveMemoryTests))]
public sealed class LiveMemoryTests
{
    [Fact]
    public void Memoized_call_results_do_not_keep_their_payloads()
    {
        // 100 memoized _codecs.encode('<200 KB>', 'latin1') results (how protocol 2 writes array data): ~20 MB of text.
        var one = Seq(Global("_codecs", "encode"), BinUnicode(new string('x', 200_000)), Sbu("latin1"), Tuple2, Reduce, Memoize, Pop);
        var pickle = Seq(Proto(4), Seq(Enumerable.Repeat(one, 100).ToArray()), None, Stop);
        var probe = new MemoryProbeStream(pickle);
        var result = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Scan(probe, new Core.Location("x"));
        Assert.Empty(result.Findings);
        Assert.True(probe.LiveBytesAtEnd - probe.LiveBytesAtStart < 8_000_000, $"{probe.LiveBytesAtEnd - probe.LiveBytesAtStart} bytes live at the end of the scan");
    }

    /// <summary>Measures live managed memory when the scanner reaches the end of the stream (the memo is alive then).</summary>
    private sealed class MemoryProbeStream(byte[] data) : ForwardOnlyStream(data)
    {
        public long LiveBytesAtStart { get; } = GC.GetTotalMemory(forceFullCollection: true);

        public long LiveBytesAtEnd { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Inner.Read(buffer, offset, count);
            if (n == 0)
            {
                LiveBytesAtEnd = GC.GetTotalMemory(forceFullCollection: true);
            }
            return n;
        }
    }
}
