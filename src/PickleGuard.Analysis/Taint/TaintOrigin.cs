namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Where tainted data came from: a source (<see cref="Parameter"/> is <see cref="SourceIndex"/>; <see cref="Kind"/> is
/// its threat-model group) or, inside a function summary, the function's parameter <see cref="Parameter"/>, or the
/// attribute <see cref="Label"/> of the method's receiver (<see cref="Parameter"/> is <see cref="ReceiverIndex"/>:
/// what <c>self.a</c> holds on the object the method is called on, see <c>FunctionAnalyzer.Receiver.cs</c>). An object source
/// (<see cref="Attributes"/> set) taints only those attributes of the object (<c>request.GET</c>).
/// <see cref="Verified"/> says which sanitizer authenticated the data on the way; <see cref="Opened"/> that the data
/// became the content of the file at a path it named on the way.
/// </summary>
internal sealed record TaintOrigin(string Kind, string Label, int Parameter, IReadOnlyList<string>? Attributes, string? Verified, TraceLink Trace)
{
    public const int SourceIndex = -1;

    public const int ReceiverIndex = -2;

    public bool IsSource => Parameter == SourceIndex;

    public bool IsReceiverAttribute => Parameter == ReceiverIndex;

    /// <summary>
    /// Where the data became the content of a file at a path it named ("opened by `open` (a.py:12)"), or null: read
    /// from the trace, which carries it through callee summaries (<see cref="TraceLink.Opened"/>).
    /// </summary>
    public string? Opened => Trace.Opened;

    public bool SameKey(TaintOrigin other) =>
        Parameter == other.Parameter && Kind == other.Kind && Label == other.Label
        && (Verified is null) == (other.Verified is null) && (Opened is null) == (other.Opened is null)
        && ReferenceEquals(Attributes, other.Attributes);
}
