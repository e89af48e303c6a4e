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

    /// <summary>Keys are <c>.name</c> for attributes and <c>[repr]</c> for constant subscripts.</summary>
    public PartTable? Parts { get; }

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

    /// <summary>A part's taint, or the whole value's when the part was never stored.</summary>
    public TaintValue Part(string key) => Parts is not null && Parts.TryGetValue(key, out var part) ? part : Whole;

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
        return new VarTaint(a.Whole.Join(b.Whole), parts);
    }
}
