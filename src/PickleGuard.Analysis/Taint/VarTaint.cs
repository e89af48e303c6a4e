namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The taint of one local variable: the whole value, plus parts stored under a constant key or attribute
/// (<c>d["a"]</c>, <c>obj.x</c>) that are tracked separately, so <c>d["a"]</c> stays clean after
/// <c>d["b"] = tainted</c>. Immutable.
/// </summary>
internal sealed class VarTaint
{
    public const int MaxParts = 32;

    public static readonly VarTaint Clean = new(TaintValue.Clean, null);

    public VarTaint(TaintValue whole, PartTable? parts)
    {
        Whole = whole;
        Parts = parts;
    }

    public TaintValue Whole { get; }

    /// <summary>
    /// Keys are <c>.name</c> for attributes and <c>[repr]</c> for constant subscripts; an item of an item is under the
    /// two keys joined by <see cref="NestedKeySeparator"/> (<see cref="NestedKey"/>). A part holds all the parts nested
    /// under it too, so a key never stored reads its nearest stored outer key.
    /// </summary>
    public PartTable? Parts { get; }

    /// <summary>Between the keys of a nested item (<c>d["a"]["b"]</c>): a control character no constant key contains in practice.</summary>
    public const char NestedKeySeparator = '\u001F';

    public static string NestedKey(string outer, string inner) => outer + NestedKeySeparator + inner;

    /// <summary>The variable used as a whole (passed on, iterated): its value and all its parts.</summary>
    public TaintValue All()
    {
        var result = Whole;
        foreach (var (_, part) in Parts ?? NoParts)
        {
            result = result.Join(part);
        }
        return result;
    }

    /// <summary>The value and its items (<c>[key]</c> parts), without its attributes (<c>.name</c> parts).</summary>
    public TaintValue WithoutAttributes()
    {
        var result = Whole;
        foreach (var (key, part) in Parts ?? NoParts)
        {
            if (!key.StartsWith('.'))
            {
                result = result.Join(part);
            }
        }
        return result;
    }

    public static readonly PartTable NoParts = PartTable.Empty;

    /// <summary>
    /// A part's taint; for a nested key never stored, its outer key's; else the whole value's when the part was never stored.
    /// </summary>
    public TaintValue Part(string key)
    {
        if (Parts is null)
        {
            return Whole;
        }
        TaintValue part;
        while (!Parts.TryGetValue(key, out part))
        {
            if (key.LastIndexOf(NestedKeySeparator) is not (> 0 and var outerEnd))
            {
                return Whole;
            }
            key = key[..outerEnd];
        }
        return part;
    }

    public bool HasPart(string key) => Parts is not null && Parts.ContainsKey(key);

    /// <summary>The part stored under attribute <paramref name="name"/> (key <c>.name</c>, matched without building it).</summary>
    public bool TryGetAttribute(string name, out TaintValue value)
    {
        if (Parts is not null && Parts.TryGetAttribute(name, out value))
        {
            return true;
        }
        value = TaintValue.Clean;
        return false;
    }

    public VarTaint WithPart(string key, TaintValue value)
    {
        if (Parts is null)
        {
            return new VarTaint(Whole, PartTable.Of(key, value));
        }
        if (Parts.Count >= MaxParts && !Parts.ContainsKey(key))
        {
            return new VarTaint(Whole.Join(value), Parts);
        }
        return new VarTaint(Whole, Parts.With(key, value));
    }

    /// <summary>
    /// <c>d["a"]["b"] = value</c> (<paramref name="key"/> nested, <see cref="NestedKey"/>): the item replaced, and each
    /// outer item holding it gains the value, its other nested items kept.
    /// </summary>
    public VarTaint WithNestedPart(string key, TaintValue value)
    {
        var result = this;
        for (var end = key.IndexOf(NestedKeySeparator); end > 0; end = key.IndexOf(NestedKeySeparator, end + 1))
        {
            var outer = key[..end];
            var held = result.Part(outer).Join(value);
            result = result.Parts is not null && (result.Parts.Count < MaxParts || result.Parts.ContainsKey(outer))
                ? new VarTaint(result.Whole, result.Parts.With(outer, held, keepNested: true))
                : result.WithPart(outer, held);
        }
        return result.WithPart(key, value);
    }

    /// <summary>What <c>x = d["a"]</c> takes of <paramref name="key"/>'s item: its value and the parts nested under it.</summary>
    public VarTaint PartWithNested(string key) => new(Part(key), Parts?.PartsUnder(key));

    public VarTaint WithWhole(TaintValue whole) => new(whole, Parts);

    /// <summary>The whole value and every part joined with <paramref name="value"/> (data that may have landed under any key).</summary>
    public VarTaint JoinEverywhere(TaintValue value) =>
        new(Whole.Join(value), Parts?.Map(part => part.Join(value)));

    public static VarTaint Join(VarTaint a, VarTaint b)
    {
        if (ReferenceEquals(a, b) || b.Parts is null && b.Whole.IsClean)
        {
            return a;
        }
        if (a.Parts is null && a.Whole.IsClean)
        {
            return b;
        }
        var parts = a.Parts is null && b.Parts is null ? null : PartTable.Joined(a, b);
        var whole = a.Whole.Join(b.Whole);
        // Most joins at the end of a branch add nothing to a variable: then it stays the same object, and the state
        // holding it is not copied (TaintState.JoinWith).
        return whole.IsSameAs(a.Whole) && ReferenceEquals(parts, a.Parts) ? a : new VarTaint(whole, parts);
    }
}
