using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a method does with its receiver, so a call <c>x.m()</c> can be followed per object: which parameters it stores
/// into the receiver's attributes (<c>self.a = p</c>, also through <c>self.helper(p)</c>), and what it does with the
/// receiver's attributes as they were when it was called (the origin "receiver attribute a"): the sinks and return
/// value they reach, the receiver attributes and the other objects' attributes they are stored into. The class of a
/// store key is the class whose method stored it (its class-wide fact, for callers that cannot tell the object).
/// </summary>
internal sealed partial class FunctionSummary
{
    private Dictionary<int, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _paramToReceiver;
    private Dictionary<string, TraceLink>? _receiverToReturn;
    private Dictionary<string, Dictionary<SinkKey, TraceLink>>? _receiverToSink;
    private Dictionary<string, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _receiverToAttribute;
    private Dictionary<string, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _receiverToReceiver;

    /// <summary>The receiver attributes whose values this method uses (keys of every receiver-attribute table).</summary>
    private SortedSet<string>? _receiverInputs;

    /// <summary>
    /// For a classmethod: the attributes of objects it makes from the class it is called on (<c>cls(p)</c>) each
    /// parameter is stored into, keyed by the class it belongs to, which a caller replaces by the class it calls it on.
    /// </summary>
    private Dictionary<int, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _paramToMade;

    private int ReceiverSize =>
        Count(_paramToReceiver) + (_receiverToReturn?.Count ?? 0) + Count(_receiverToSink) + Count(_receiverToAttribute) + Count(_receiverToReceiver)
        + Count(_paramToMade);

    /// <summary>The attributes of objects a classmethod makes from the class it is called on that <paramref name="parameter"/> is stored into, or null.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? MadeStoresOf(int parameter) => _paramToMade?.GetValueOrDefault(parameter);

    public void AddMadeStore(int parameter, (ClassInfo, string) attribute, TraceLink chain) => Add(ref _paramToMade, parameter, attribute, chain);

    public bool HasMadeStore(int parameter, (ClassInfo, string) attribute) => Has(_paramToMade, parameter, attribute);

    /// <summary>The receiver attributes the method reads and passes on somewhere (empty for most functions).</summary>
    public IReadOnlyCollection<string> ReceiverInputs => _receiverInputs ?? (IReadOnlyCollection<string>)[];

    /// <summary>The receiver attributes <paramref name="parameter"/> is stored into, with the path to each, or null.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? ReceiverStoresOf(int parameter) => _paramToReceiver?.GetValueOrDefault(parameter);

    public bool TryGetReceiverReturn(string attribute, out TraceLink chain)
    {
        chain = null!;
        return _receiverToReturn is not null && _receiverToReturn.TryGetValue(attribute, out chain!);
    }

    public Dictionary<SinkKey, TraceLink>? SinksOfReceiver(string attribute) => _receiverToSink?.GetValueOrDefault(attribute);

    /// <summary>Other objects' attributes (class-wide) the receiver's attribute is stored into.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? AttributesOfReceiver(string attribute) => _receiverToAttribute?.GetValueOrDefault(attribute);

    /// <summary>The receiver's own attributes the receiver's attribute is copied into.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? ReceiverStoresOfReceiver(string attribute) => _receiverToReceiver?.GetValueOrDefault(attribute);

    /// <summary><paramref name="origin"/> (a parameter or receiver attribute of this function) reaches the return value.</summary>
    public void AddReturn(TaintOrigin origin, TraceLink chain)
    {
        if (origin.IsReceiverAttribute)
        {
            (_receiverToReturn ??= new(StringComparer.Ordinal)).TryAdd(origin.Label, chain);
            NoteInput(origin.Label);
        }
        else
        {
            AddReturn(origin.Parameter, chain);
            AddReturnReads(origin);
        }
    }

    /// <param name="flag">The flag guarding this path (<see cref="FlagOf"/>), for a parameter's first path to the sink; null: none.</param>
    public void AddSink(TaintOrigin origin, SinkKey sink, TraceLink chain, SafeFlag? flag = null)
    {
        if (origin.IsReceiverAttribute)
        {
            AddVerifiablePath(ref _receiverToSink, origin.Label, sink, chain, origin.Verified);
            NoteInput(origin.Label);
        }
        else
        {
            AddVerifiablePath(ref _paramToSink, origin.Parameter, sink, chain, origin.Verified);
            if (flag is not null)
            {
                (_sinkFlags ??= []).TryAdd((origin.Parameter, sink), flag);
            }
        }
    }

    /// <summary>
    /// <paramref name="origin"/> is stored into an attribute of an object other than the receiver (class-wide); a
    /// verified origin's path is noted, so what a caller passes is stored verified (<see cref="VerificationOf"/>).
    /// </summary>
    public void AddAttribute(TaintOrigin origin, (ClassInfo, string) attribute, TraceLink chain)
    {
        if (origin.IsReceiverAttribute)
        {
            AddVerifiablePath(ref _receiverToAttribute, origin.Label, attribute, chain, origin.Verified);
            NoteInput(origin.Label);
        }
        else
        {
            AddVerifiablePath(ref _paramToAttribute, origin.Parameter, attribute, chain, origin.Verified);
        }
    }

    /// <summary><paramref name="origin"/> is stored into an attribute of the receiver (through <c>self</c>); a verified origin's path is noted (see <see cref="AddAttribute"/>).</summary>
    public void AddReceiverStore(TaintOrigin origin, (ClassInfo, string) attribute, TraceLink chain)
    {
        if (origin.IsReceiverAttribute)
        {
            AddVerifiablePath(ref _receiverToReceiver, origin.Label, attribute, chain, origin.Verified);
            NoteInput(origin.Label);
        }
        else
        {
            AddVerifiablePath(ref _paramToReceiver, origin.Parameter, attribute, chain, origin.Verified);
        }
    }

    /// <summary>
    /// Whether <paramref name="origin"/> already has a path to <paramref name="sink"/> (the first one found is kept: a
    /// re-analysis need not make the trace again) — an unverified origin, a path that no guard verified (one replaces
    /// a verified path: <see cref="AddVerifiablePath"/>).
    /// </summary>
    public bool HasSink(TaintOrigin origin, SinkKey sink) =>
        KeepsPath(origin, origin.IsReceiverAttribute ? Kept(_receiverToSink, origin.Label, sink) : Kept(_paramToSink, origin.Parameter, sink));

    /// <summary>Whether <paramref name="origin"/> already has a path into another object's attribute (see <see cref="HasSink"/>).</summary>
    public bool HasAttribute(TaintOrigin origin, (ClassInfo, string) attribute) =>
        KeepsPath(origin, origin.IsReceiverAttribute ? Kept(_receiverToAttribute, origin.Label, attribute) : Kept(_paramToAttribute, origin.Parameter, attribute));

    /// <summary>Whether <paramref name="origin"/> already has a path into the receiver's attribute (see <see cref="HasSink"/>).</summary>
    public bool HasReceiverStore(TaintOrigin origin, (ClassInfo, string) attribute) =>
        KeepsPath(origin, origin.IsReceiverAttribute ? Kept(_receiverToReceiver, origin.Label, attribute) : Kept(_paramToReceiver, origin.Parameter, attribute));

    private void NoteInput(string attribute) => (_receiverInputs ??= new(StringComparer.Ordinal)).Add(attribute);
}
