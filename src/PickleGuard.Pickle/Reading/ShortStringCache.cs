namespace PickleGuard.Pickle.Reading;

/// <summary>
/// Reuses the string objects of short ASCII payloads: large pickles repeat the same keys and names millions of
/// times, and allocating each one again dominates the scan. Bounded; once full, new strings are simply allocated.
/// </summary>
internal sealed class ShortStringCache
{
    private const int MaxLength = 64;
    private const int MaxEntries = 1 << 16;

    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ShortStringCache() => _lookup = _cache.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string for an ASCII payload of at most 64 bytes, or null when the payload is longer or not ASCII.</summary>
    public string? GetOrDecode(ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[MaxLength];
        if (System.Text.Ascii.ToUtf16(data, chars, out int written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        var text = chars[..written];
        if (_lookup.TryGetValue(text, out var cached))
        {
            return cached;
        }

        var created = new string(text);
        if (_cache.Count < MaxEntries)
        {
            _cache[created] = created;
        }

        return created;
    }
}
