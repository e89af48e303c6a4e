namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Where tainted data came from (<see cref="Key"/>, see <see cref="OriginKey"/>) and the trace that brought it here.
/// A value pair: a step along the trace replaces <see cref="Trace"/> only, so it makes no new object besides the link
/// (a record class copied per step was a seventh of the fixpoint's allocation). <see cref="Opened"/> says that the data
/// became the content of the file at a path it named on the way.
/// </summary>
internal readonly record struct TaintOrigin(OriginKey Key, TraceLink Trace)
{
    public const int SourceIndex = -1;

    public const int ReceiverIndex = -2;

    /// <summary>
    /// Data of unknown origin that a guard verified before the sink (<c>raw = Path(settings.MODEL_FILE).read_bytes()</c>,
    /// an HMAC check, <c>pickle.loads(data)</c>): only ever a low hit, never propagated (FunctionAnalyzer.VerifiedLocals.cs).
    /// </summary>
    public const int VerifiedUnknownIndex = -3;

    public TaintOrigin(string kind, string label, int parameter, IReadOnlyList<string>? attributes, string? verified, TraceLink trace)
        : this(new OriginKey(kind, label, parameter, attributes, verified), trace)
    {
    }

    public string Kind => Key.Kind;

    public string Label => Key.Label;

    public int Parameter => Key.Parameter;

    public IReadOnlyList<string>? Attributes => Key.Attributes;

    public string? Verified => Key.Verified;

    public IReadOnlyList<string>? HeldIn => Key.HeldIn;

    public bool IsSource => Parameter == SourceIndex;

    public bool IsReceiverAttribute => Parameter == ReceiverIndex;

    /// <summary>
    /// Where the data became the content of a file at a path it named ("opened by `open` (a.py:12)"), or null: read
    /// from the trace, which carries it through callee summaries (<see cref="TraceLink.Opened"/>).
    /// </summary>
    public string? Opened => Trace.Opened;

    /// <summary>Whether <see cref="Opened"/> is set (the trace keeps it as a flag; the description is found for reports).</summary>
    public bool HasOpened => Trace.HasOpened;

    /// <summary>This origin, verified by <paramref name="reason"/> unless a sanitizer already verified it.</summary>
    public TaintOrigin VerifiedBy(string reason) => Verified is null ? this with { Key = Key with { Verified = reason } } : this;

    /// <summary>This origin as plain data: an object source's whole object instead of some attributes, held data as the value itself.</summary>
    public TaintOrigin WithoutAttributes() => Attributes is null && HeldIn is null ? this : this with { Key = Key with { Attributes = null, HeldIn = null } };

    /// <summary>This origin as the value itself instead of data held in some attributes of it (<see cref="OriginKey.HeldIn"/>).</summary>
    public TaintOrigin Unheld() => HeldIn is null ? this : this with { Key = Key with { HeldIn = null } };

    /// <summary>This origin without the parameter its URL came from (<see cref="OriginKey.Fetched"/>): data whatever the URL.</summary>
    public TaintOrigin Unfetched() => Key.Fetched is null ? this : this with { Key = Key with { Fetched = null } };

    /// <summary>The same origin and trace (both the same objects): a map that returns it changed nothing.</summary>
    public bool IsSameAs(TaintOrigin other) => ReferenceEquals(Key, other.Key) && ReferenceEquals(Trace, other.Trace);

    public bool SameKey(TaintOrigin other) => SameKey(other.Key, other.HasOpened);

    /// <summary>As <see cref="SameKey(TaintOrigin)"/> with an origin of key <paramref name="key"/> whose trace opened a file if <paramref name="opened"/>.</summary>
    public bool SameKey(OriginKey key, bool opened) =>
        (ReferenceEquals(Key, key)
            || Parameter == key.Parameter && Kind == key.Kind && Label == key.Label
            && (Verified is null) == (key.Verified is null) && ReferenceEquals(Attributes, key.Attributes) && Equals(Key.Fetched, key.Fetched)
            && SameNames(HeldIn, key.HeldIn))
        && HasOpened == opened;

    /// <summary>Held in the same attributes: each origin passed on whole gets a list of its own (sorted), so compared by its names.</summary>
    private static bool SameNames(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        ReferenceEquals(a, b) || a is not null && b is not null && a.SequenceEqual(b);
}
