using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a function does with tainted data, independent of its callers: which parameters reach its return value,
/// which reach a sink (with the path inside the function), which are stored into instance attributes of other objects
/// (class-wide), and which sources reach its return value; a method's summary also says what it does with its
/// receiver's attributes (FunctionSummary.Receiver.cs). Grows monotonically while the fixpoint runs; <see cref="Size"/>
/// detects change. Most functions' summaries stay empty, so the tables are made on the first entry.
/// </summary>
internal sealed partial class FunctionSummary
{
    private Dictionary<int, TraceLink>? _paramToReturn;
    private Dictionary<int, Dictionary<SinkKey, TraceLink>>? _paramToSink;
    private Dictionary<int, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _paramToAttribute;

    public TaintValue ReturnSources { get; set; }

    public int Size =>
        (_paramToReturn?.Count ?? 0) + (_paramToSink?.Values.Sum(s => s.Count) ?? 0)
        + (_paramToAttribute?.Values.Sum(a => a.Count) ?? 0) + ReturnSources.Origins.Length + ReceiverSize;

    /// <summary>The path from <paramref name="parameter"/> to the return value, if it reaches it.</summary>
    public bool TryGetReturn(int parameter, out TraceLink chain)
    {
        chain = null!;
        return _paramToReturn is not null && _paramToReturn.TryGetValue(parameter, out chain!);
    }

    /// <summary>The sinks <paramref name="parameter"/> reaches, with the path to each, or null.</summary>
    public Dictionary<SinkKey, TraceLink>? SinksOf(int parameter) => _paramToSink?.GetValueOrDefault(parameter);

    /// <summary>The attributes of other objects than the receiver <paramref name="parameter"/> is stored into (class-wide), with the path to each, or null.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? AttributesOf(int parameter) => _paramToAttribute?.GetValueOrDefault(parameter);

    public void AddReturn(int parameter, TraceLink chain) => (_paramToReturn ??= []).TryAdd(parameter, chain);

    public void AddSink(int parameter, SinkKey sink, TraceLink chain)
    {
        _paramToSink ??= [];
        if (!_paramToSink.TryGetValue(parameter, out var sinks))
        {
            _paramToSink[parameter] = sinks = [];
        }
        sinks.TryAdd(sink, chain);
    }

    public void AddAttribute(int parameter, (ClassInfo, string) attribute, TraceLink chain)
    {
        _paramToAttribute ??= [];
        if (!_paramToAttribute.TryGetValue(parameter, out var attributes))
        {
            _paramToAttribute[parameter] = attributes = [];
        }
        attributes.TryAdd(attribute, chain);
    }
}
