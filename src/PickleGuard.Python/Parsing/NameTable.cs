namespace PickleGuard.Python;

/// <summary>
/// Turns identifier spellings into (NFKC-normalized) name strings without making a new string for each
/// occurrence. A direct-mapped cache, one per thread and kept from file to file: a slot holds the last spelling
/// that hashed to it, so a repeated name (self, os, len, ...) costs a hash and a compare, no allocation and no
/// dictionary. A collision only evicts the older spelling, which then gets a fresh string: never a wrong name.
/// Its size is fixed (a hostile file cannot make a thread keep its text), and small enough to stay in cache,
/// which a dictionary of every name ever seen does not. A second table per thread does the same for the values of
/// string literals (kept as spelled, not normalized).
/// </summary>
internal sealed class NameTable
{
    private const int SlotCount = 8192;
    private const int MaxCachedLength = 64;

    [ThreadStatic]
    private static NameTable? _current;

    [ThreadStatic]
    private static NameTable? _literals;

    private readonly Slot[] _slots = new Slot[SlotCount];
    private readonly bool _normalize;

    private NameTable(bool normalize) => _normalize = normalize;

    /// <summary>The calling thread's table of names (one per thread, so no locking).</summary>
    public static NameTable ForCurrentThread() => _current ??= new NameTable(normalize: true);

    /// <summary>The calling thread's table of string literal values.</summary>
    public static NameTable LiteralsForCurrentThread() => _literals ??= new NameTable(normalize: false);

    public string Intern(ReadOnlySpan<char> spelling) => Intern(spelling, out _);

    /// <summary>The name for <paramref name="spelling"/>, and the <see cref="Hash"/> of that name (not of the spelling).</summary>
    public string Intern(ReadOnlySpan<char> spelling, out int nameHash)
    {
        if (spelling.Length > MaxCachedLength)
        {
            string uncached = Normalize(spelling.ToString());
            nameHash = Hash(uncached);
            return uncached;
        }

        int hash = Hash(spelling);
        ref Slot slot = ref _slots[hash & (SlotCount - 1)];
        // The full hash first: a slot held by another name is told apart without touching that name's string.
        if (slot.Hash == hash && slot.Spelling is { } cached && spelling.SequenceEqual(cached))
        {
            nameHash = slot.NameHash;
            return slot.Name!;
        }

        string value = spelling.ToString();
        string name = Normalize(value);
        nameHash = ReferenceEquals(name, value) ? hash : Hash(name);
        slot = new Slot(hash, nameHash, value, name);
        return name;
    }

    private readonly record struct Slot(int Hash, int NameHash, string? Spelling, string? Name);

    private string Normalize(string spelling) =>
        _normalize && spelling.AsSpan().ContainsAnyInRange((char)0x80, char.MaxValue) ? IdentifierNormalizer.Normalize(spelling) : spelling;

    /// <summary>FNV-1a over the chars, folded: identifiers are short, and this needs no comparer object.</summary>
    internal static int Hash(ReadOnlySpan<char> spelling)
    {
        uint hash = 2166136261;
        foreach (char c in spelling)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash ^ (hash >> 13));
    }
}
