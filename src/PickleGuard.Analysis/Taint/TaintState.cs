using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The abstract state at one program point of a function: the taint of each local variable assigned so far, and the
/// source expressions a guard verified on every path here (<c>request.get_data()</c> inside an HMAC check: reading it
/// again yields verified data). A state after <c>return</c>/<c>raise</c> is unreachable and vanishes in joins (so an
/// early exit guarded by a failed HMAC check leaves only the verified path).
/// </summary>
internal sealed class TaintState
{
    /// <summary>A module's top level binds hundreds of names and assigns few between branches: no numbers there.</summary>
    public const int MaxNumbered = 64;

    /// <summary>The scope whose names are numbered in <see cref="_values"/>, or null (every name in <see cref="_others"/>).</summary>
    private Scope? _numbered;

    /// <summary>The variables the scope binds, by their number there (null: not assigned here).</summary>
    private VarTaint?[] _values;

    /// <summary>Variables without a number (a module's top level, a <c>global</c> name), made on first use.</summary>
    private Dictionary<string, VarTaint>? _others;

    /// <summary>Another state may hold <see cref="_values"/> and <see cref="_others"/> too: copied on the first write (most branches assign little).</summary>
    private bool _shared;

    /// <summary>Where copies of this state and the tables of <see cref="_values"/> come from (null: a scratch state).</summary>
    private TaintStatePool? _pool;

    /// <summary>Verified source expressions (their text) with the reason; never changed in place, only replaced.</summary>
    private IReadOnlyDictionary<string, string>? _verifiedSources;

    /// <summary>An empty state with a table only (a guard's scratch state).</summary>
    public TaintState()
    {
        _values = [];
    }

    /// <summary>
    /// An empty state for a body of <paramref name="scope"/>: a function's locals in an array by their number in
    /// the scope (<see cref="Scope.TryGetNumber"/>), so a branch's copy is an array of references, not a hash table
    /// (copies at every <c>if</c>, loop and <c>try</c> were a fifth of the fixpoint's allocation). The state, its
    /// copies and their tables come from <paramref name="pool"/>: they live no longer than the analysis using it.
    /// </summary>
    public static TaintState Start(Scope scope, TaintStatePool pool)
    {
        var state = pool.TakeState();
        state._pool = pool;
        state._others = null;
        state._shared = false;
        state._verifiedSources = null;
        state.Reachable = true;
        if (scope.Kind != ScopeKind.Module && scope.BindingCount <= MaxNumbered)
        {
            state._numbered = scope;
            state._values = pool.TakeTable(scope.BindingCount);
            Array.Clear(state._values);
        }
        else
        {
            state._numbered = null;
            state._values = [];
        }
        return state;
    }

    /// <summary>Whether some source expression is verified here (most states: none, so no text is built).</summary>
    public bool HasVerifiedSources => _verifiedSources is not null;

    /// <summary>Why the source expression with text <paramref name="text"/> is verified here, or null.</summary>
    public string? VerifiedSource(string text) => _verifiedSources?.GetValueOrDefault(text);

    public void VerifySource(string text, string reason)
    {
        if (VerifiedSource(text) is null)
        {
            _verifiedSources = new Dictionary<string, string>(_verifiedSources ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [text] = reason };
        }
    }

    /// <summary>Forgets that <paramref name="text"/> is verified here (a checked file written again).</summary>
    public void ForgetVerifiedSource(string text)
    {
        if (VerifiedSource(text) is not null)
        {
            var kept = new Dictionary<string, string>(_verifiedSources!, StringComparer.Ordinal);
            kept.Remove(text);
            _verifiedSources = kept.Count > 0 ? kept : null;
        }
    }

    public bool Reachable { get; private set; } = true;

    /// <summary>The assigned variables: the numbered ones in number order, then the others.</summary>
    public IEnumerable<KeyValuePair<string, VarTaint>> Variables
    {
        get
        {
            for (var i = 0; i < _values.Length; i++)
            {
                if (_values[i] is { } value)
                {
                    yield return new(_numbered!.NumberedNames[i], value);
                }
            }
            if (_others is not null)
            {
                foreach (var other in _others)
                {
                    yield return other;
                }
            }
        }
    }

    public bool TryGet(string name, out VarTaint value)
    {
        if (_numbered is not null && _numbered.TryGetNumber(name, out var number))
        {
            value = _values[number]!;
            return value is not null;
        }
        if (_others is not null)
        {
            return _others.TryGetValue(name, out value!);
        }
        value = null!;
        return false;
    }

    public void Set(string name, VarTaint value)
    {
        Unshare();
        if (_numbered is not null && _numbered.TryGetNumber(name, out var number))
        {
            _values[number] = value;
        }
        else
        {
            (_others ??= _pool?.TakeHashTable() ?? new Dictionary<string, VarTaint>(StringComparer.Ordinal))[name] = value;
        }
    }

    private void Unshare()
    {
        if (_shared)
        {
            if (_values.Length > 0)
            {
                var copy = _pool!.TakeTable(_values.Length);
                _values.CopyTo(copy, 0);
                _values = copy;
            }
            _others = _others is null ? null : CopyOf(_others);
            _shared = false;
        }
    }

    /// <summary>A copy of <paramref name="others"/>, in its order (filled by adds, a pooled table enumerates in their order).</summary>
    private Dictionary<string, VarTaint> CopyOf(Dictionary<string, VarTaint> others)
    {
        if (_pool is null)
        {
            return new Dictionary<string, VarTaint>(others, StringComparer.Ordinal);
        }
        var copy = _pool.TakeHashTable();
        copy.EnsureCapacity(others.Count);
        foreach (var (name, value) in others)
        {
            copy.Add(name, value);
        }
        return copy;
    }

    public void MarkUnreachable() => Reachable = false;

    /// <summary>Whether some variable holds source data, as a whole or in a part (a plain walk of the tables, no enumerator object).</summary>
    public bool HoldsSourceData()
    {
        foreach (var value in _values)
        {
            if (value is not null && HoldsSourceData(value))
            {
                return true;
            }
        }
        if (_others is not null)
        {
            foreach (var value in _others.Values)
            {
                if (HoldsSourceData(value))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool HoldsSourceData(VarTaint value)
    {
        if (HasSource(value.Whole))
        {
            return true;
        }
        foreach (var (_, part) in value.Parts ?? VarTaint.NoParts)
        {
            if (HasSource(part))
            {
                return true;
            }
        }
        return false;
    }

    private static bool HasSource(TaintValue value)
    {
        foreach (var origin in value.Origins)
        {
            if (origin.IsSource)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A cheap fingerprint that grows whenever some variable gains an origin or widens one (<see cref="TaintValue.Weight"/>; loops stop when it is stable).</summary>
    public int Weight()
    {
        var weight = Reachable ? 1 : 0;
        foreach (var value in _values)
        {
            weight += value is null ? 0 : WeightOf(value);
        }
        if (_others is not null)
        {
            foreach (var value in _others.Values)
            {
                weight += WeightOf(value);
            }
        }
        return weight;
    }

    private static int WeightOf(VarTaint value)
    {
        var weight = value.Whole.Weight + 1;
        foreach (var (_, part) in value.Parts ?? VarTaint.NoParts)
        {
            weight += part.Weight + 1;
        }
        return weight;
    }

    public TaintState Copy()
    {
        var copy = _pool?.TakeState() ?? new TaintState();
        copy.ShareWith(this);
        return copy;
    }

    /// <summary>This state becomes <paramref name="other"/>: every field its, the tables shared with it until either writes.</summary>
    private void ShareWith(TaintState other)
    {
        other._shared = true;
        _numbered = other._numbered;
        _values = other._values;
        _others = other._others;
        _pool = other._pool;
        _shared = true;
        Reachable = other.Reachable;
        _verifiedSources = other._verifiedSources;
    }

    public static TaintState Join(TaintState a, TaintState b)
    {
        var result = a.Copy();
        result.JoinWith(b);
        return result;
    }

    /// <summary>
    /// This state becomes its join with <paramref name="b"/> (as <see cref="Join"/>, for a state that nothing else
    /// holds: no copy of it, and its own tables are written in place).
    /// </summary>
    public void JoinWith(TaintState b)
    {
        if (!Reachable)
        {
            ShareWith(b);
            return;
        }
        if (!b.Reachable)
        {
            return;
        }
        // Verified on both paths only.
        if (!ReferenceEquals(_verifiedSources, b._verifiedSources))
        {
            _verifiedSources = VerifiedOnBoth(this, b);
        }
        if (ReferenceEquals(_values, b._values) && ReferenceEquals(_others, b._others))
        {
            return;
        }
        if (!ReferenceEquals(_numbered, b._numbered))
        {
            foreach (var (name, value) in b.Variables)
            {
                JoinInto(name, value);
            }
            return;
        }
        for (var i = 0; i < b._values.Length; i++)
        {
            if (b._values[i] is not { } value || ReferenceEquals(value, _values[i]))
            {
                continue;
            }
            var mine = _values[i];
            var joined = mine is null ? value : VarTaint.Join(mine, value);
            if (!ReferenceEquals(joined, mine))
            {
                Unshare();
                _values[i] = joined;
            }
        }
        if (b._others is not null)
        {
            foreach (var (name, value) in b._others)
            {
                JoinInto(name, value);
            }
        }
    }

    /// <summary>
    /// The source expressions verified in both states, or null. Its own method: the lambda capturing <paramref name="b"/>
    /// made a closure at every join.
    /// </summary>
    private static IReadOnlyDictionary<string, string>? VerifiedOnBoth(TaintState a, TaintState b)
    {
        var both = a._verifiedSources?.Where(v => b.VerifiedSource(v.Key) is not null).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return both is { Count: > 0 } ? both : null;
    }

    private void JoinInto(string name, VarTaint value)
    {
        if (!TryGet(name, out var mine))
        {
            Set(name, value);
        }
        else if (VarTaint.Join(mine, value) is var joined && !ReferenceEquals(joined, mine))
        {
            Set(name, joined);
        }
    }
}
