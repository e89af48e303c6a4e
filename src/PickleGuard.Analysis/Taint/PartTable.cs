using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The parts of a <see cref="VarTaint"/> (key to taint), immutable, in the order their keys were first stored: an array
/// of pairs searched in order, since a variable holds few parts (at most <see cref="VarTaint.MaxParts"/> but mostly one
/// or two) and each store copies the table (a hash table per copy was the fixpoint's largest table allocation).
/// </summary>
internal sealed class PartTable : IReadOnlyDictionary<string, TaintValue>
{
    public static readonly PartTable Empty = new([], false);

    private readonly KeyValuePair<string, TaintValue>[] _entries;

    private PartTable(KeyValuePair<string, TaintValue>[] entries, bool hasNested)
    {
        _entries = entries;
        HasNested = hasNested;
    }

    public int Count => _entries.Length;

    /// <summary>Whether a key is nested (<see cref="VarTaint.NestedKey"/>): most tables have none, and skip the searches for them.</summary>
    public bool HasNested { get; }

    public TaintValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _entries.Select(entry => entry.Key);

    public IEnumerable<TaintValue> Values => _entries.Select(entry => entry.Value);

    public static PartTable Of(string key, TaintValue value) => new([new(key, value)], IsNested(key));

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TaintValue value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _entries[index].Value : default;
        return index >= 0;
    }

    /// <summary>The part under the attribute key <c>.name</c> for <paramref name="name"/>.</summary>
    public bool TryGetAttribute(string name, out TaintValue value)
    {
        foreach (var (key, part) in _entries)
        {
            if (key.Length == name.Length + 1 && key[0] == '.' && key.AsSpan(1).SequenceEqual(name))
            {
                value = part;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// This table with <paramref name="key"/> set to <paramref name="value"/> (in its place if stored, else last). The
    /// parts nested under the key held what it was replaced with, and go, unless <paramref name="keepNested"/>
    /// (<paramref name="value"/> then still holds them: an item stored into the key's own item).
    /// </summary>
    public PartTable With(string key, TaintValue value, bool keepNested = false)
    {
        if (HasNested && !keepNested && NestedUnder(key) > 0)
        {
            return WithoutNestedUnder(key).With(key, value);
        }
        var index = IndexOf(key);
        var entries = new KeyValuePair<string, TaintValue>[index >= 0 ? _entries.Length : _entries.Length + 1];
        _entries.CopyTo(entries, 0);
        entries[index >= 0 ? index : _entries.Length] = new(key, value);
        return new PartTable(entries, HasNested || IsNested(key));
    }

    /// <summary>The parts nested under <paramref name="outer"/>, keys without the outer key, or null when there are none.</summary>
    public PartTable? PartsUnder(string outer)
    {
        if (!HasNested || NestedUnder(outer) is not (> 0 and var count))
        {
            return null;
        }
        var entries = new KeyValuePair<string, TaintValue>[count];
        var i = 0;
        foreach (var (key, value) in _entries)
        {
            if (IsNestedUnder(key, outer))
            {
                entries[i++] = new(key[(outer.Length + 1)..], value);
            }
        }
        return new PartTable(entries, entries.Any(entry => IsNested(entry.Key)));
    }

    private static bool IsNested(string key) => key.Contains(VarTaint.NestedKeySeparator);

    private static bool IsNestedUnder(string key, string outer) =>
        key.Length > outer.Length + 1 && key[outer.Length] == VarTaint.NestedKeySeparator && key.StartsWith(outer, StringComparison.Ordinal);

    private int NestedUnder(string outer) => _entries.Count(entry => IsNestedUnder(entry.Key, outer));

    private PartTable WithoutNestedUnder(string outer)
    {
        var entries = _entries.Where(entry => !IsNestedUnder(entry.Key, outer)).ToArray();
        return new PartTable(entries, entries.Any(entry => IsNested(entry.Key)));
    }

    /// <summary>Every part's taint transformed, keys and order kept.</summary>
    public PartTable Map(Func<TaintValue, TaintValue> map)
    {
        var entries = new KeyValuePair<string, TaintValue>[_entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new(_entries[i].Key, map(_entries[i].Value));
        }
        return new PartTable(entries, HasNested);
    }

    /// <summary>
    /// The parts of the join of <paramref name="a"/> and <paramref name="b"/> (one has parts): the keys of
    /// <paramref name="a"/> then those only <paramref name="b"/> has, each with the join of the two variables' taint
    /// there (a part's, or the whole value's where the part was never stored).
    /// </summary>
    public static PartTable Joined(VarTaint a, VarTaint b)
    {
        var mine = a.Parts ?? Empty;
        var theirs = b.Parts ?? Empty;
        var count = mine.Count;
        foreach (var (key, _) in theirs)
        {
            count += mine.ContainsKey(key) ? 0 : 1;
        }
        // Made on the first part that changes: when none does and no key is added, the table is a's own (most joins at a
        // branch's end change nothing).
        var entries = count == mine.Count && a.Parts is not null ? null : new KeyValuePair<string, TaintValue>[count];
        for (var i = 0; i < mine._entries.Length; i++)
        {
            var (key, value) = mine._entries[i];
            var joined = value.Join(b.Part(key));
            if (entries is null)
            {
                if (joined.IsSameAs(value))
                {
                    continue;
                }
                entries = new KeyValuePair<string, TaintValue>[count];
                Array.Copy(mine._entries, entries, i);
            }
            entries[i] = new(key, joined);
        }
        if (entries is null)
        {
            return mine;
        }
        var added = mine.Count;
        foreach (var (key, value) in theirs)
        {
            if (!mine.ContainsKey(key))
            {
                entries[added++] = new(key, a.Part(key).Join(value));
            }
        }
        return new PartTable(entries, mine.HasNested || theirs.HasNested);
    }

    /// <summary>A struct enumerator: <c>foreach</c> over a table allocates nothing.</summary>
    public ArraySegment<KeyValuePair<string, TaintValue>>.Enumerator GetEnumerator() => new ArraySegment<KeyValuePair<string, TaintValue>>(_entries).GetEnumerator();

    IEnumerator<KeyValuePair<string, TaintValue>> IEnumerable<KeyValuePair<string, TaintValue>>.GetEnumerator() => ((IEnumerable<KeyValuePair<string, TaintValue>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < _entries.Length; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
