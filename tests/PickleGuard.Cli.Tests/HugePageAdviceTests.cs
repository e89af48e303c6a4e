using System.Globalization;
using System.Runtime.InteropServices;
using PickleGuard.Cli.Scanning;

namespace PickleGuard.Cli.Tests;

/// <summary>The scan advises the managed heap's address range, and only it, to use transparent huge pages.</summary>
public sealed class HugePageAdviceTests
{
    private static readonly string[] Maps =
    [
        "55d0c0000000-55d0c0400000 r-xp 00000000 08:01 1234     /usr/bin/pickleguard",
        "55d0c0400000-55d0c0600000 rw-p 00000000 00:00 0 ",
        "7f0000000000-7f0000400000 rw-p 00000000 00:00 0",
        "7f0000400000-7f4000000000 ---p 00000000 00:00 0",
        "7f4000000000-7f4000200000 rw-p 00000000 00:00 0",
        "7f4000201000-7f4000300000 rw-p 00000000 00:00 0",
        "7f4000300000-7f4000400000 r--p 00000000 08:01 99       /usr/lib/libc.so.6",
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0        [stack]",
    ];

    [Theory]
    [InlineData(0x7f0000000010UL, 0x7f0000000000UL, 0x7f4000200000UL)] // committed piece at the start of the reserve
    [InlineData(0x7f2000000000UL, 0x7f0000000000UL, 0x7f4000200000UL)] // inside the reserved, uncommitted part
    [InlineData(0x7f4000250000UL, 0x7f4000201000UL, 0x7f4000300000UL)] // after a gap: another run, ended by a file
    [InlineData(0x55d0c0400010UL, 0x55d0c0400000UL, 0x55d0c0600000UL)] // a path field of blanks is still anonymous
    public void TheRangeIsTheRunOfContiguousAnonymousMappingsAroundTheAddress(ulong address, ulong start, ulong end)
    {
        Assert.Equal((start, end), HugePageAdvice.HeapRange(Maps, address));
    }

    [Theory]
    [InlineData(0x55d0c0000100UL)] // the executable
    [InlineData(0x7f4000300100UL)] // a library
    [InlineData(0x7ffd00000100UL)] // the stack names itself
    [InlineData(0x7f4000200800UL)] // the unmapped gap
    [InlineData(0x10UL)]
    public void AnAddressOutsideAnonymousMappingsHasNoRange(ulong address)
    {
        Assert.Null(HugePageAdvice.HeapRange(Maps, address));
    }

    [Fact]
    public void MalformedLinesAreIgnored()
    {
        string[] maps = ["garbage", "", "7f00-zz rw-p 0 00:00 0", "7f0000000000-7f0000400000 rw-p 00000000 00:00 0"];
        Assert.Equal((0x7f0000000000UL, 0x7f0000400000UL), HugePageAdvice.HeapRange(maps, 0x7f0000000010UL));
    }

    [SkippableFact]
    public void OnLinuxTheKernelMarksTheHeapMappingAsAdvised()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "transparent huge pages are a Linux feature");
        Skip.IfNot(File.Exists("/sys/kernel/mm/transparent_hugepage/enabled"), "this kernel has no transparent huge pages");
        Skip.If(Environment.GetEnvironmentVariable(HugePageAdvice.SwitchVariable) == "0", $"{HugePageAdvice.SwitchVariable}=0 turns the advice off");

        Assert.True(HugePageAdvice.ApplyToManagedHeap());

        var handle = GCHandle.Alloc(new byte[64], GCHandleType.Pinned);
        try
        {
            // /proc/self/smaps: a header line per mapping, then fields; "VmFlags" lists "hg" for MADV_HUGEPAGE.
            Assert.Contains("hg", FlagsOfMappingHolding((ulong)handle.AddrOfPinnedObject()));
        }
        finally
        {
            handle.Free();
        }
    }

    private static string[] FlagsOfMappingHolding(ulong address)
    {
        var inMapping = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash
                && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            {
                inMapping = start <= address && address < end;
            }
            else if (inMapping && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        return [];
    }
}
