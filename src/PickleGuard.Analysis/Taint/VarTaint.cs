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

    public VarTaint(TaintValue whole, IReadOnlyDictionary<string, TaintValue>? parts)
    {
        Whole = whole;
        Parts = parts;
    }

    public TaintValue Whole { get; }

    /// <summary>Keys are <c>.name</c> for attributes and <c>[repr]</c> for constant subscripts.</summary>
    public IReadOnlyDictionary<string, TaintValue>? Parts { get; }

    /// <summary>The variable used as a whole (passed on, iterated): its value and all its parts.</summary>
    public TaintValue All()
    {
        var result = Whole;
        if (Parts is not null)
        {
            foreach (var part in Parts.Values)
            {
                result = result.Join(part);
            }
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

    public static readonly IReadOnlyDictionary<string, TaintValue> NoParts = new Dictionary<string, TaintValue>();

    /// <summary>A part's taint, or the whole value's when the part was never stored.</summary>
    public TaintValue Part(string key) => Parts is not null && Parts.TryGetValue(key, out var part) ? part : Whole;

    public bool HasPart(string key) => Parts is not null && Parts.ContainsKey(key);

    /// <summary>The part stored under attribute <paramref name="name"/> (key <c>.name</c>), built only when some part is stored (most variables: none).</summary>
    public bool TryGetAttribute(string name, out TaintValue value)
    {
        if (Parts is not null && Parts.TryGetValue("." + name, out value))
        {
            return true;
        }
        value = TaintValue.Clean;
        return false;
    }

    public VarTaint WithPart(string key, TaintValue value)
    {
        var parts = Parts is null ? new Dictionary<string, TaintValue>(StringComparer.Ordinal) : new Dictionary<string, TaintValue>(Parts, StringComparer.Ordinal);
        if (parts.Count >= MaxParts && !parts.ContainsKey(key))
        {
            return new VarTaint(Whole.Join(value), Parts);
        }
        parts[key] = value;
        return new VarTaint(Whole, parts);
    }

    public VarTaint WithWhole(TaintValue whole) => new(whole, Parts);

    /// <summary>The whole value and every part joined with <paramref name="value"/> (data that may have landed under any key).</summary>
    public VarTaint JoinEverywhere(TaintValue value) =>
        new(Whole.Join(value), Parts?.ToDictionary(p => p.Key, p => p.Value.Join(value), StringComparer.Ordinal));

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
        Dictionary<string, TaintValue>? parts = null;
        if (a.Parts is not null || b.Parts is not null)
        {
            parts = new Dictionary<string, TaintValue>(StringComparer.Ordinal);
            foreach (var key in (a.Parts?.Keys ?? []).Concat(b.Parts?.Keys ?? []))
            {
                parts[key] = a.Part(key).Join(b.Part(key));
            }
        }
        return new VarTaint(a.Whole.Join(b.Whole), parts);
    }
}
