using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a function does with tainted data, independent of its callers: which parameters reach its return value,
/// which reach a sink (with the path inside the function), which are stored into instance attributes, and which
/// sources reach its return value. Grows monotonically while the fixpoint runs; <see cref="Size"/> detects change.
/// </summary>
internal sealed class FunctionSummary
{
    public Dictionary<int, TraceLink> ParamToReturn { get; } = [];

    public Dictionary<int, Dictionary<SinkKey, TraceLink>> ParamToSink { get; } = [];

    public Dictionary<int, Dictionary<(ClassInfo Class, string Attribute), TraceLink>> ParamToAttribute { get; } = [];

    public TaintValue ReturnSources { get; set; }

    public int Size =>
        ParamToReturn.Count + ParamToSink.Values.Sum(s => s.Count) + ParamToAttribute.Values.Sum(a => a.Count) + ReturnSources.Origins.Length;

    public void AddSink(int parameter, SinkKey sink, TraceLink chain)
    {
        if (!ParamToSink.TryGetValue(parameter, out var sinks))
        {
            ParamToSink[parameter] = sinks = [];
        }
        sinks.TryAdd(sink, chain);
    }

    public void AddAttribute(int parameter, (ClassInfo, string) attribute, TraceLink chain)
    {
        if (!ParamToAttribute.TryGetValue(parameter, out var attributes))
        {
            ParamToAttribute[parameter] = attributes = [];
        }
        attributes.TryAdd(attribute, chain);
    }
}
