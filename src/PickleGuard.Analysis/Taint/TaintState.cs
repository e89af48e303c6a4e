namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The abstract state at one program point of a function: the taint of each local variable assigned so far.
/// A state after <c>return</c>/<c>raise</c> is unreachable and vanishes in joins (so an early exit guarded by a
/// failed HMAC check leaves only the verified path).
/// </summary>
internal sealed class TaintState
{
    private readonly Dictionary<string, VarTaint> _vars;

    public TaintState() => _vars = new(StringComparer.Ordinal);

    private TaintState(Dictionary<string, VarTaint> vars, bool reachable)
    {
        _vars = vars;
        Reachable = reachable;
    }

    public bool Reachable { get; private set; } = true;

    public IEnumerable<KeyValuePair<string, VarTaint>> Variables => _vars;

    public bool TryGet(string name, out VarTaint value) => _vars.TryGetValue(name, out value!);

    public void Set(string name, VarTaint value) => _vars[name] = value;

    public void MarkUnreachable() => Reachable = false;

    /// <summary>A cheap fingerprint that grows whenever some variable gains an origin (loops stop when it is stable).</summary>
    public int Weight()
    {
        var weight = Reachable ? 1 : 0;
        foreach (var value in _vars.Values)
        {
            weight += value.Whole.Origins.Length + 1;
            if (value.Parts is not null)
            {
                foreach (var part in value.Parts.Values)
                {
                    weight += part.Origins.Length + 1;
                }
            }
        }
        return weight;
    }

    public TaintState Copy() => new(new Dictionary<string, VarTaint>(_vars, StringComparer.Ordinal), Reachable);

    public static TaintState Join(TaintState a, TaintState b)
    {
        if (!a.Reachable)
        {
            return b.Copy();
        }
        if (!b.Reachable)
        {
            return a.Copy();
        }
        var result = a.Copy();
        foreach (var (name, value) in b._vars)
        {
            result._vars[name] = result._vars.TryGetValue(name, out var mine) ? VarTaint.Join(mine, value) : value;
        }
        return result;
    }
}
