using System.Globalization;
using System.Runtime.InteropServices;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// Asks Linux to back the managed heap with transparent huge pages. A scan touches about a gigabyte of fresh memory
/// for the CPython standard library (the no-GC region of <see cref="CollectionPause"/> never reuses a page), and with
/// 4 KB pages that is some 280,000 page faults and as many TLB entries: on a virtual machine whose kernel hands out
/// huge pages only on request (`transparent_hugepage/enabled` = `madvise`, the default of Debian and Ubuntu) the
/// faults were a third of the CPU time of a scan (docs/benchmarks.md, thirteenth session). The runtime does not give
/// this advice itself, so the scan finds the heap's address range in <c>/proc/self/maps</c> and advises it before it
/// allocates; memory the runtime commits later inside that range keeps the advice. Where the kernel says `never`,
/// or the advice fails, nothing changes. <c>PICKLEGUARD_HUGE_PAGES=0</c> turns it off.
/// </summary>
internal static partial class HugePageAdvice
{
    private const int MadviseHugePage = 14;
    public const string SwitchVariable = "PICKLEGUARD_HUGE_PAGES";

    /// <summary>Advises the address range that holds the managed heap; returns whether the kernel accepted the advice.</summary>
    public static bool ApplyToManagedHeap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(SwitchVariable) == "0")
        {
            return false;
        }
        try
        {
            var range = HeapRange(File.ReadAllLines("/proc/self/maps"), AddressOfNewObject());
            return range is var (start, end) && Madvise((nint)start, (nuint)(end - start), MadviseHugePage) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a kernel without /proc or a C library without madvise: the scan runs on ordinary pages
        }
    }

    /// <summary>
    /// The run of contiguous anonymous mappings around <paramref name="address"/>: the runtime reserves the heap as one
    /// anonymous mapping, which the kernel lists in pieces once parts of it are committed. Null when the address is in
    /// no anonymous mapping.
    /// </summary>
    internal static (ulong Start, ulong End)? HeapRange(IReadOnlyList<string> mapsLines, ulong address)
    {
        var mappings = mapsLines.Select(ParseMapping).OfType<(ulong Start, ulong End, bool Anonymous)>().ToList();
        var at = mappings.FindIndex(m => m.Start <= address && address < m.End);
        if (at < 0 || !mappings[at].Anonymous)
        {
            return null;
        }
        var first = at;
        while (first > 0 && mappings[first - 1].Anonymous && mappings[first - 1].End == mappings[first].Start)
        {
            first--;
        }
        var last = at;
        while (last + 1 < mappings.Count && mappings[last + 1].Anonymous && mappings[last + 1].Start == mappings[last].End)
        {
            last++;
        }
        return (mappings[first].Start, mappings[last].End);
    }

    /// <summary>One line of /proc/PID/maps: "start-end perms offset dev inode [path]"; anonymous when it names no path.</summary>
    private static (ulong Start, ulong End, bool Anonymous)? ParseMapping(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var bounds = fields.Length >= 5 ? fields[0].Split('-') : [];
        if (bounds.Length != 2
            || !ulong.TryParse(bounds[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(bounds[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }
        return (start, end, fields.Length == 5);
    }

    private static ulong AddressOfNewObject()
    {
        var handle = GCHandle.Alloc(new byte[1], GCHandleType.Pinned);
        try
        {
            return (ulong)handle.AddrOfPinnedObject();
        }
        finally
        {
            handle.Free();
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
