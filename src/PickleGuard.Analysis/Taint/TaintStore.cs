using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The whole-program facts the function analyses share: source data held by instance attributes and outer
/// variables, the best tainted origin per sink, and the steps spent. Analyses running in parallel only read it;
/// what they write is logged per component (<see cref="ComponentLog"/>) and applied here between levels, in
/// component order, so the result does not depend on which thread ran what.
/// </summary>
internal sealed class TaintStore
{
    private readonly Dictionary<GlobalKey, TaintValue> _globals = [];

    /// <summary>Variables with attribute facts (<c>x.attr</c> keys, written for <c>x</c> = this key).</summary>
    private readonly HashSet<GlobalKey> _withAttributeFacts = [];

    public Dictionary<Expr, SinkHit> Hits { get; } = [];

    /// <summary>
    /// Keys whose taint grew since the set was last cleared, each with the <see cref="Level"/> whose logs last grew
    /// it: an analysis that ran at an earlier level saw the key before that change, one at a later level after it.
    /// </summary>
    public Dictionary<GlobalKey, int> ChangedKeys { get; } = [];

    /// <summary>The number of the level whose analyses run now (it grows through the rounds, never restarts).</summary>
    public int Level { get; set; }

    /// <summary>Steps spent by the analyses applied so far.</summary>
    public long TotalSteps { get; private set; }

    /// <summary>What an instance attribute or outer variable holds.</summary>
    public TaintValue Read(GlobalKey key) => _globals.GetValueOrDefault(key);

    public bool HasAttributeFacts(GlobalKey variable) => _withAttributeFacts.Contains(variable);

    /// <summary>Applies what one component's analysis wrote.</summary>
    public void Apply(ComponentLog log)
    {
        TotalSteps += log.Steps;
        foreach (var (key, sources) in log.Writes)
        {
            var old = _globals.GetValueOrDefault(key);
            var joined = old.Join(sources);
            if (joined.Weight != old.Weight)
            {
                _globals[key] = joined;
                ChangedKeys[key] = Level;
                if (key.Owner is Scope && key.Name.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot)
                {
                    // Readers of the variable looked its attributes up only if it had attribute facts: they run again.
                    var variable = new GlobalKey(key.Owner, key.Name[..dot]);
                    _withAttributeFacts.Add(variable);
                    ChangedKeys[variable] = Level;
                }
            }
        }
        foreach (var hit in log.Hits)
        {
            if (!Hits.TryGetValue(hit.Sink.At, out var best) || hit.IsBetterThan(best))
            {
                Hits[hit.Sink.At] = hit;
            }
        }
    }
}
