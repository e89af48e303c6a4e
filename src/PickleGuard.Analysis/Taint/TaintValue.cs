namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The origins an abstract value may carry (empty: clean). Immutable; at most <see cref="MaxOrigins"/> origins,
/// one per source or parameter, the first trace found kept (traces are found shortest-first in program order).
/// </summary>
internal readonly struct TaintValue
{
    public const int MaxOrigins = 8;

    private readonly TaintOrigin[]? _origins;

    private TaintValue(TaintOrigin[] origins) => _origins = origins;

    public static TaintValue Clean => default;

    public bool IsClean => _origins is null;

    public ReadOnlySpan<TaintOrigin> Origins => _origins;

    public static TaintValue Of(TaintOrigin origin) => new([origin]);

    public TaintValue Join(TaintValue other)
    {
        if (other._origins is null)
        {
            return this;
        }
        if (_origins is null)
        {
            return other;
        }
        List<TaintOrigin>? merged = null;
        foreach (var origin in other._origins)
        {
            if (Contains(merged ?? (IReadOnlyList<TaintOrigin>)_origins, origin))
            {
                continue;
            }
            merged ??= [.. _origins];
            if (merged.Count < MaxOrigins)
            {
                merged.Add(origin);
            }
        }
        return merged is null ? this : new TaintValue([.. merged]);
    }

    /// <summary>Each origin transformed (null drops it).</summary>
    public TaintValue Select(Func<TaintOrigin, TaintOrigin?> map)
    {
        if (_origins is null)
        {
            return this;
        }
        var result = Clean;
        foreach (var origin in _origins)
        {
            if (map(origin) is { } mapped)
            {
                result = result.Join(Of(mapped));
            }
        }
        return result;
    }

    /// <summary>Adds the same step to every origin's trace.</summary>
    public TaintValue Step(Semantic.ModuleModel module, int offset, string message) =>
        Select(o => o with { Trace = o.Trace.Then(module, offset, message) });

    /// <summary>Plain data only: object sources (whose attributes alone are tainted) are dropped.</summary>
    public TaintValue Data => _origins is null || _origins.All(o => o.Attributes is null) ? this : Select(o => o.Attributes is null ? o : null);

    private static bool Contains(IReadOnlyList<TaintOrigin> origins, TaintOrigin origin)
    {
        foreach (var existing in origins)
        {
            if (existing.SameKey(origin))
            {
                return true;
            }
        }
        return false;
    }
}
