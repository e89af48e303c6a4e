using System.Runtime.CompilerServices;
using PickleGuard.Cli.Scanning;

namespace PickleGuard.Cli.Tests;

/// <summary>
/// The scan marks the garbage collector's reservation for huge pages: the run of adjacent anonymous mappings
/// around a heap address in <c>/proc/self/maps</c>, never a file mapping or a mapping past a gap.
/// </summary>
public sealed class HugePageAdviceTests
{
    private static readonly string[] Maps =
    [
        "55d0c0000000-55d0c0100000 r-xp 00000000 fe:00 4242                       /usr/bin/pickleguard",
        "7f0000000000-7f0000001000 rw-p 00000000 00:00 0 ",
        "7f0000002000-7f0000010000 ---p 00000000 00:00 0 ",
        "7f0000010000-7f0000400000 rw-p 00000000 00:00 0 ",
        "7f0000400000-7f0040000000 ---p 00000000 00:00 0 ",
        "7f0040000000-7f0040021000 rw-p 00000000 00:00 0 ",
        "7f0040021000-7f0040100000 r--p 00000000 fe:00 99                         /usr/lib/x86_64-linux-gnu/libc.so.6",
        "7f0040100000-7f0040200000 rw-p 00000000 00:00 0 ",
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]",
    ];

    [Fact]
    public void TheRunOfAdjacentAnonymousMappingsAroundTheAddressIsTheReservation()
    {
        Assert.Equal((0x7f0000002000UL, 0x7f0040021000UL), HugePageAdvice.FindReservation(Maps, 0x7f0000012345));
    }

    [Fact]
    public void AGapOrAFileMappingEndsTheRun()
    {
        Assert.Equal((0x7f0000000000UL, 0x7f0000001000UL), HugePageAdvice.FindReservation(Maps, 0x7f0000000010));
        Assert.Equal((0x7f0040100000UL, 0x7f0040200000UL), HugePageAdvice.FindReservation(Maps, 0x7f0040100000));
    }

    [Fact]
    public void AnAddressOutsideAnyAnonymousMappingHasNoReservation()
    {
        Assert.Null(HugePageAdvice.FindReservation(Maps, 0x55d0c0000100));
        Assert.Null(HugePageAdvice.FindReservation(Maps, 0x7ffd00000100));
        Assert.Null(HugePageAdvice.FindReservation(Maps, 0x7f0000001800));
    }

    [SkippableFact]
    public void OnLinuxTheLiveHeapLiesInsideTheReservationFound()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs /proc/self/maps (Linux)");
        var probe = new object();
        var address = (ulong)Unsafe.As<object, nint>(ref probe);
        var range = HugePageAdvice.FindReservation(File.ReadLines("/proc/self/maps"), address);
        Assert.NotNull(range);
        Assert.InRange(address, range.Value.Start, range.Value.End - 1);
        // The runtime reserves far more than it has committed: the run is the reservation, not one committed part.
        Assert.True(range.Value.End - range.Value.Start >= 1UL << 30, $"run of {(range.Value.End - range.Value.Start) >> 20} MiB");
    }
}
