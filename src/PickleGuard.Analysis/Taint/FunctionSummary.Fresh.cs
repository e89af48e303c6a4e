using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a factory (<see cref="TaintUnit.FreshClass"/>) puts into the attributes of the fresh object it returns: which
/// parameters and which sources end up in which attribute, each keyed by the class whose class-wide fact it would be
/// (the object's class, docs/taint.md design item 10), for callers that cannot keep the object to themselves.
/// </summary>
internal sealed partial class FunctionSummary
{
    private Dictionary<int, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _paramToFresh;
    private Dictionary<(ClassInfo Class, string Attribute), TaintValue>? _freshSources;

    private int FreshSize
    {
        get
        {
            var count = Count(_paramToFresh);
            if (_freshSources is not null)
            {
                foreach (var value in _freshSources.Values)
                {
                    count += value.Origins.Length;
                }
            }
            return count;
        }
    }

    /// <summary>The attributes of the returned object <paramref name="parameter"/> is stored into, with the path to each (ending at the return), or null.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? FreshStoresOf(int parameter) => _paramToFresh?.GetValueOrDefault(parameter);

    /// <summary>The source data in the returned object's attributes, or null.</summary>
    public IReadOnlyDictionary<(ClassInfo Class, string Attribute), TaintValue>? FreshSources => _freshSources;

    /// <summary>
    /// <paramref name="origin"/> (a parameter of this function or a source) is in attribute <paramref name="attribute"/>
    /// of the returned object; a verified parameter's path is noted (<see cref="VerificationOf"/>).
    /// </summary>
    public void AddFreshPart(TaintOrigin origin, (ClassInfo, string) attribute, TraceLink chain)
    {
        if (origin.IsSource)
        {
            _freshSources ??= [];
            _freshSources[attribute] = _freshSources.GetValueOrDefault(attribute).Join(TaintValue.Of(origin.Unmade() with { Trace = chain }));
        }
        else
        {
            AddVerifiablePath(ref _paramToFresh, origin.Parameter, attribute, chain, origin.Verified);
        }
    }
}
