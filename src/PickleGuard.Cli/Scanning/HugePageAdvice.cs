using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// Asks Linux to back the managed heap with transparent huge pages. A scan allocates about a gigabyte on the CPython
/// standard library inside its no-GC region (<see cref="CollectionPause"/>), all of it fresh memory: with 4 KiB pages
/// that is a quarter of a million page faults, about a quarter of the process's CPU time spent in the kernel
/// (docs/benchmarks.md, "Huge pages"). Most distributions set transparent huge pages to <c>madvise</c>, so a process
/// gets them only for ranges it marks; the runtime has no setting for it, so the scan marks the heap's reservation
/// itself. Only advice: where the call fails (another OS, an older kernel, a locked-down container) nothing changes.
/// </summary>
internal static partial class HugePageAdvice
{
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE in <asm-generic/mman-common.h>

    public static void AdviseManagedHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            var probe = new object();
            var address = (ulong)Unsafe.As<object, nint>(ref probe);
            if (FindReservation(File.ReadLines("/proc/self/maps"), address) is { } range)
            {
                _ = Madvise((nint)range.Start, (nuint)(range.End - range.Start), MadviseHugePage);
            }
        }
        catch (IOException)
        {
            // No /proc: the scan runs with ordinary pages.
        }
        catch (UnauthorizedAccessException)
        {
            // No /proc: the scan runs with ordinary pages.
        }
    }

    /// <summary>
    /// The run of adjacent anonymous mappings around <paramref name="address"/> in a <c>/proc/self/maps</c>
    /// listing: the garbage collector reserves its whole heap range at once and commits parts of it later, which
    /// splits the reservation into adjacent mappings with different protections.
    /// </summary>
    internal static (ulong Start, ulong End)? FindReservation(IEnumerable<string> maps, ulong address)
    {
        (ulong Start, ulong End)? run = null;
        var containsAddress = false;
        foreach (var line in maps)
        {
            if (ParseAnonymous(line) is not { } mapping)
            {
                if (containsAddress)
                {
                    break;
                }
                run = null;
                continue;
            }
            if (run is { } current && current.End == mapping.Start)
            {
                run = (current.Start, mapping.End);
            }
            else if (containsAddress)
            {
                break;
            }
            else
            {
                run = mapping;
            }
            containsAddress |= mapping.Start <= address && address < mapping.End;
        }
        return containsAddress ? run : null;
    }

    /// <summary>The address range of an anonymous mapping (no backing file, no [stack]-like name); null otherwise.</summary>
    private static (ulong Start, ulong End)? ParseAnonymous(string line)
    {
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields.Length == 6 && fields[5].Trim().Length > 0 || fields[4] != "0")
        {
            return null;
        }
        var dash = fields[0].IndexOf('-', StringComparison.Ordinal);
        if (dash < 0
            || !ulong.TryParse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }
        return (start, end);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
