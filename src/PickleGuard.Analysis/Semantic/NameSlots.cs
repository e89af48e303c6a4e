using System.Numerics;
using System.Runtime.InteropServices;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// The numbers of a sealed scope's names when they are too many to scan (<see cref="Scope.TryGetNumber"/>): a table
/// of slots, each holding the number + 1 of the name placed there (0: empty), over the names in number order. A lookup
/// hashes at most eight characters and tries the same string object before the text (names are mostly the parser's
/// interned strings), where a <c>Dictionary</c> with the ordinal comparer hashed the whole name and made two interface
/// calls (the taint analyses of 255 standard-library modules look names up 630,000 times, 280,000 in such scopes).
/// </summary>
internal sealed class NameSlots
{
    /// <summary>A lookup reads at most this many slots: names crafted to share slots keep a <c>Dictionary</c> instead.</summary>
    private const int MaxRun = 32;

    private readonly string[] _names;

    private readonly int[] _slots;

    private NameSlots(string[] names, int[] slots)
    {
        _names = names;
        _slots = slots;
    }

    /// <summary>The table of <paramref name="names"/> (in number order), or null when some run of taken slots is longer than <see cref="MaxRun"/>.</summary>
    public static NameSlots? Of(string[] names)
    {
        // At most half the slots taken: a miss soon reaches an empty one.
        var slots = new int[BitOperations.RoundUpToPowerOf2((uint)names.Length * 2)];
        var mask = slots.Length - 1;
        for (var number = 0; number < names.Length; number++)
        {
            var slot = Hash(names[number]) & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = number + 1;
        }
        return LongestRun(slots) <= MaxRun ? new NameSlots(names, slots) : null;
    }

    /// <summary>The number of <paramref name="name"/>, or -1.</summary>
    public int NumberOf(string name)
    {
        var mask = _slots.Length - 1;
        for (var slot = Hash(name) & mask; _slots[slot] is var taken and > 0; slot = (slot + 1) & mask)
        {
            var candidate = _names[taken - 1];
            if (ReferenceEquals(candidate, name) || candidate.Length == name.Length && string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return taken - 1;
            }
        }
        return -1;
    }

    /// <summary>
    /// The length, the first four characters and the last four (two reads of eight bytes): names of a scope mostly
    /// differ there, and a hash of every character cost more than the rest of the lookup.
    /// </summary>
    private static int Hash(string name)
    {
        var chars = name.AsSpan();
        ulong head = 0;
        ulong tail = 0;
        if (chars.Length >= 4)
        {
            var bytes = MemoryMarshal.AsBytes(chars);
            head = MemoryMarshal.Read<ulong>(bytes);
            tail = MemoryMarshal.Read<ulong>(bytes[^8..]);
        }
        else
        {
            foreach (var c in chars)
            {
                head = head << 16 | c;
            }
        }
        // The high half of the last product mixes every bit of both reads.
        var hash = ((head * 0x9E3779B97F4A7C15) ^ tail ^ (ulong)chars.Length) * 0xC2B2AE3D27D4EB4F;
        return (int)(hash >> 32);
    }

    /// <summary>The most slots a lookup reads: the longest run of taken slots, wrapping round the end.</summary>
    private static int LongestRun(int[] slots)
    {
        var longest = 0;
        var run = 0;
        for (var i = 0; i < 2 * slots.Length; i++)
        {
            run = slots[i & (slots.Length - 1)] != 0 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest + 1; // the empty slot that ends a miss
    }
}
