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

    /// <summary>The same origins (the same array): a join that returned this changed nothing.</summary>
    public bool IsSameAs(TaintValue other) => ReferenceEquals(_origins, other._origins);

    /// <summary>
    /// Both values' origins, one per key: the first trace kept, and an origin some objects alone hold
    /// (<see cref="OriginKey.MadeAt"/>) held where the other value's is too (<see cref="TaintOrigin.WidenedBy"/>).
    /// </summary>
    public TaintValue Join(TaintValue other)
    {
        if (other._origins is null)
        {
            return this;
        }
        if (_origins is null || ReferenceEquals(_origins, other._origins))
        {
            return _origins is null ? other : this; // the same origins: a branch that changed nothing joined with its twin
        }
        // Most joins add nothing new: count first, allocate once.
        var added = 0;
        var widens = false;
        foreach (var origin in other._origins)
        {
            var at = IndexOf(_origins, _origins.Length, origin);
            if (at < 0)
            {
                added++;
            }
            else
            {
                widens |= !_origins[at].Covers(origin);
            }
        }
        var room = Math.Max(0, MaxOrigins - _origins.Length);
        if (!widens && (added == 0 || room == 0))
        {
            return this;
        }
        var merged = new TaintOrigin[_origins.Length + Math.Min(added, room)];
        _origins.CopyTo(merged, 0);
        var count = _origins.Length;
        foreach (var origin in other._origins)
        {
            // Also skips duplicates within `other` (the same key twice there counts once here).
            if (IndexOf(merged, count, origin) is var at and >= 0)
            {
                if (!merged[at].Covers(origin))
                {
                    merged[at] = merged[at].WidenedBy(origin);
                }
            }
            else if (count < merged.Length)
            {
                merged[count++] = origin;
            }
        }
        return new TaintValue(count == merged.Length ? merged : merged[..count]);
    }

    /// <summary>
    /// Each origin transformed (null drops it). Allocates only for a changed result: most maps keep every origin
    /// (<see cref="Data"/> of plain data) or drop them all (the sources of a value with none).
    /// </summary>
    public TaintValue Select(Func<TaintOrigin, TaintOrigin?> map) => Select(map, static (origin, map) => map(origin));

    /// <summary>
    /// As <see cref="Select(Func{TaintOrigin, TaintOrigin?})"/> with the map's data passed in <paramref name="state"/>:
    /// a static lambda makes no closure and no delegate per call.
    /// </summary>
    public TaintValue Select<TState>(TState state, Func<TaintOrigin, TState, TaintOrigin?> map)
    {
        if (_origins is null)
        {
            return this;
        }
        TaintOrigin[]? mapped = null;
        var count = 0;
        var unchanged = true; // every origin so far mapped to itself
        for (var i = 0; i < _origins.Length; i++)
        {
            var origin = _origins[i];
            var result = map(origin, state);
            if (unchanged)
            {
                if (result is { } same && same.IsSameAs(origin))
                {
                    continue;
                }
                unchanged = false;
                if (i > 0)
                {
                    mapped = new TaintOrigin[_origins.Length];
                    Array.Copy(_origins, mapped, i);
                    count = i;
                }
            }
            if (result is not { } kept)
            {
                continue;
            }
            if (mapped is not null && IndexOf(mapped, count, kept) is var at and >= 0)
            {
                if (!mapped[at].Covers(kept))
                {
                    mapped[at] = mapped[at].WidenedBy(kept);
                }
                continue;
            }
            mapped ??= new TaintOrigin[_origins.Length];
            mapped[count++] = kept;
        }
        if (unchanged)
        {
            return this;
        }
        return count == 0 ? Clean : new TaintValue(count == mapped!.Length ? mapped : mapped[..count]);
    }

    /// <summary>Adds the same step to every origin's trace.</summary>
    public TaintValue Step(Semantic.ModuleModel module, int offset, StepText text)
    {
        if (_origins is null)
        {
            return this;
        }
        TaintOrigin[]? stepped = null;
        for (var i = 0; i < _origins.Length; i++)
        {
            var trace = _origins[i].Trace.Then(module, offset, text);
            Keep(ref stepped, i, trace);
        }
        return stepped is null ? this : new TaintValue(stepped);
    }

    /// <summary>The callee's chain <paramref name="chain"/> spliced into every origin's trace (as <see cref="Step"/>, without a closure).</summary>
    public TaintValue Spliced(TraceLink chain)
    {
        if (_origins is null)
        {
            return this;
        }
        TaintOrigin[]? spliced = null;
        for (var i = 0; i < _origins.Length; i++)
        {
            Keep(ref spliced, i, _origins[i].Trace.Splice(chain));
        }
        return spliced is null ? this : new TaintValue(spliced);
    }

    /// <summary>
    /// Origin <paramref name="i"/> with trace <paramref name="trace"/> into <paramref name="changed"/>, made on the first
    /// new trace: a trace at its limit keeps the step out (<see cref="TraceLink.Then"/>) and then the origin is unchanged.
    /// </summary>
    private void Keep(ref TaintOrigin[]? changed, int i, TraceLink trace)
    {
        var origin = _origins![i];
        if (ReferenceEquals(trace, origin.Trace))
        {
            if (changed is not null)
            {
                changed[i] = origin;
            }
            return;
        }
        if (changed is null)
        {
            changed = new TaintOrigin[_origins.Length];
            Array.Copy(_origins, changed, i);
        }
        changed[i] = origin with { Trace = trace };
    }

    /// <summary>No origin is an object source (whose attributes alone are tainted): every origin is plain data.</summary>
    public bool IsPlainData => !AnyOriginHas(RarePart.Attributes);

    /// <summary>Some origin is data held in attributes of an object passed on whole (<see cref="OriginKey.HeldIn"/>).</summary>
    public bool HoldsFields => AnyOriginHas(RarePart.HeldIn);

    /// <summary>Some origin is held by some objects alone (<see cref="OriginKey.MadeAt"/>).</summary>
    public bool HasMadeAt => AnyOriginHas(RarePart.MadeAt);

    private enum RarePart
    {
        Attributes,
        HeldIn,
        MadeAt,
    }

    /// <summary>
    /// Whether some origin has <paramref name="part"/> set. A plain loop: these run on most values an analysis reads, and
    /// a test passed as a delegate cost a call per origin.
    /// </summary>
    private bool AnyOriginHas(RarePart part)
    {
        foreach (var origin in _origins ?? [])
        {
            var has = part switch
            {
                RarePart.Attributes => origin.Attributes is not null,
                RarePart.HeldIn => origin.HeldIn is not null,
                _ => origin.MadeAt is not null,
            };
            if (has)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Every origin wherever it is held (<see cref="TaintOrigin.Unmade"/>): the value leaves the receiver it was read through.</summary>
    public TaintValue Unmade() => HasMadeAt ? Select(static o => o.Unmade()) : this;

    /// <summary>
    /// How much the value holds, for telling whether a join changed it: an origin held by the objects of some
    /// constructions counts one per construction, one held wherever one more than the most kept, plus one per attribute
    /// a parameter's object was read through (<see cref="TaintOrigin.ReadWeight"/>), so both a new origin and a widened
    /// one make it grow.
    /// </summary>
    public int Weight
    {
        get
        {
            var weight = 0;
            foreach (var origin in _origins ?? [])
            {
                weight += (origin.MadeAt?.Length ?? TaintOrigin.MaxMadeAt + 1) + origin.ReadWeight;
            }
            return weight;
        }
    }

    /// <summary>Each parameter's data as made from its object otherwise than by reading an attribute (<see cref="TaintOrigin.Derived"/>).</summary>
    public TaintValue Derived() => Select(static o => o.Derived());

    /// <summary>Held data as the value itself (<see cref="TaintOrigin.Unheld"/>): what a call derives from the object.</summary>
    public TaintValue Unheld() => HoldsFields ? Select(static o => o.Unheld()) : this;

    /// <summary>Plain data only: object sources (whose attributes alone are tainted) are dropped.</summary>
    public TaintValue Data => IsPlainData ? this : Select(static o => o.Attributes is null ? o : null);

    /// <summary>Where among the first <paramref name="count"/> origins one of the same key is, or -1.</summary>
    private static int IndexOf(TaintOrigin[] origins, int count, TaintOrigin origin)
    {
        for (var i = 0; i < count; i++)
        {
            if (origins[i].SameKey(origin))
            {
                return i;
            }
        }
        return -1;
    }
}
