namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// The distinct values of several resolution results, in the order first seen, at most <see cref="MaxValues"/>:
/// what <c>Cap(a.Concat(b)...)</c> gives, built without copying. Every result the resolver returns is already distinct
/// and capped, so while only one result has added values that result itself is the answer (no list is made); a list
/// is made when a second one adds values. A mutable struct: keep it in a local and pass it by <c>ref</c>.
/// </summary>
internal struct ValueSet
{
    public const int MaxValues = 32;

    private IReadOnlyList<SymbolicValue>? _only;
    private List<SymbolicValue>? _many;

    /// <summary>Whether <see cref="MaxValues"/> values are in: a result added now changes nothing.</summary>
    public readonly bool Full => (_many?.Count ?? _only?.Count ?? 0) >= MaxValues;

    /// <summary>Adds a result of the resolver (distinct and capped).</summary>
    public void Add(IReadOnlyList<SymbolicValue> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        if (_many is null)
        {
            if (_only is null)
            {
                _only = values;
                return;
            }
            _many = new List<SymbolicValue>(Math.Min(_only.Count + values.Count, MaxValues));
            AddDistinct(_only);
            _only = null;
        }
        AddDistinct(values);
    }

    /// <summary>Adds one value.</summary>
    public void Add(SymbolicValue value)
    {
        if (_many is null)
        {
            _many = new List<SymbolicValue>(_only is null ? 1 : Math.Min(_only.Count + 1, MaxValues));
            if (_only is not null)
            {
                AddDistinct(_only);
                _only = null;
            }
        }
        if (_many.Count < MaxValues && !_many.Contains(value))
        {
            _many.Add(value);
        }
    }

    public readonly IReadOnlyList<SymbolicValue> Result => _many ?? _only ?? [];

    private readonly void AddDistinct(IReadOnlyList<SymbolicValue> values)
    {
        var many = _many!;
        for (var i = 0; i < values.Count && many.Count < MaxValues; i++)
        {
            if (!many.Contains(values[i]))
            {
                many.Add(values[i]);
            }
        }
    }
}
