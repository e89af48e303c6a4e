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

    /// <summary>
    /// This index and those below it, inside a function summary: the result of a method called on a parameter, which a
    /// caller passing an object of a project class gives as that class's method returns (ProjectIndex.ObjectMethods.cs);
    /// summary tables key it as they key a parameter, and the code that reads a parameter's index (at least 0) leaves it alone.
    /// </summary>
    private const int ObjectMethodIndexBase = -4;

    /// <summary>The methods called on one parameter that get an index each (<see cref="ObjectMethodIndex"/>).</summary>
    public const int MaxObjectMethodsPerParameter = 16;

    /// <summary>The origin index of the result of the method at <paramref name="position"/> among those called on <paramref name="parameter"/>.</summary>
    public static int ObjectMethodIndex(int parameter, int position) => ObjectMethodIndexBase - (parameter * MaxObjectMethodsPerParameter + position);

    /// <summary>The parameter a method's result of index <paramref name="index"/> was called on (<see cref="ObjectMethodIndex"/>).</summary>
    public static int ObjectMethodParameter(int index) => (ObjectMethodIndexBase - index) / MaxObjectMethodsPerParameter;

    /// <summary>Whether <paramref name="index"/> stands for the result of a method called on a parameter (<see cref="ObjectMethodIndex"/>).</summary>
    public static bool IsObjectMethodIndex(int index) => index <= ObjectMethodIndexBase;

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

    /// <summary>At most this many constructions are kept for an origin (<see cref="OriginKey.MadeAt"/>); more, and it is held wherever.</summary>
    public const int MaxMadeAt = 8;

    /// <summary>The constructions whose objects alone hold this data, relative to the receiver of the method reading it (<see cref="OriginKey.MadeAt"/>), or null.</summary>
    public PickleGuard.Python.CallExpr[]? MadeAt => Key.MadeAt;

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

    /// <summary>This origin wherever it is held (<see cref="OriginKey.MadeAt"/> dropped).</summary>
    public TaintOrigin Unmade() => Key.MadeAt is null ? this : this with { Key = Key with { MadeAt = null } };

    /// <summary>
    /// Whether this origin is held wherever <paramref name="added"/>, of the same key, is (everywhere, or at its
    /// constructions), and read through every attribute it is (<see cref="OriginKey.ReadThrough"/>).
    /// </summary>
    public bool Covers(TaintOrigin added) =>
        (Key.MadeAt is null || added.Key.MadeAt is { } theirs && AllMadeAt(theirs)) && ReadsCover(added.Key.ReadThrough);

    /// <summary>This origin held also where <paramref name="added"/>, of the same key, is, and read through its attributes too (when it does not <see cref="Covers"/> it).</summary>
    public TaintOrigin WidenedBy(TaintOrigin added)
    {
        var widened = ReadsCover(added.Key.ReadThrough) ? this : ReadThroughAll(added.Key.ReadThrough!);
        if (widened.Key.MadeAt is not { } mine)
        {
            return widened;
        }
        if (added.Key.MadeAt is not { } theirs)
        {
            return widened.Unmade();
        }
        var union = mine.Union(theirs).ToArray();
        return union.Length > MaxMadeAt ? widened.Unmade() : widened with { Key = widened.Key with { MadeAt = union } };
    }

    /// <summary>Stands for every attribute in <see cref="OriginKey.ReadThrough"/>: a value made from the parameter's object by other means than reading one.</summary>
    public static readonly string[] AnyRead = ["*"];

    /// <summary>At most this many attributes are kept in <see cref="OriginKey.ReadThrough"/>; more, and it is <see cref="AnyRead"/>.</summary>
    public const int MaxReads = 8;

    /// <summary>A parameter's data read through <paramref name="attribute"/> of its object (<see cref="OriginKey.ReadThrough"/>); any other origin as it is.</summary>
    public TaintOrigin ReadThroughAttribute(string attribute)
    {
        if (Parameter < 0 || Key.ReadThrough is { } reads && (ReferenceEquals(reads, AnyRead) || Holds(reads, reads.Length, attribute)))
        {
            return this;
        }
        return WithReads(Key.ReadThrough is { } held ? [.. held, attribute] : [attribute]);
    }

    /// <summary>A parameter's data read through each of <paramref name="attributes"/> too; any other origin as it is.</summary>
    public TaintOrigin ReadThroughAll(string[] attributes)
    {
        if (Parameter < 0 || ReadsCover(attributes))
        {
            return this;
        }
        return WithReads(ReferenceEquals(attributes, AnyRead) || Key.ReadThrough is null ? attributes : UnionOf(Key.ReadThrough, attributes));
    }

    /// <summary>The attributes of <paramref name="first"/>, then those of <paramref name="second"/> not among them, each once (as LINQ's <c>Union</c>, without its set and buffers: this runs in joins).</summary>
    internal static string[] UnionOf(string[] first, string[] second)
    {
        var union = new string[first.Length + second.Length];
        var count = 0;
        foreach (var attribute in first)
        {
            count = AddNew(union, count, attribute);
        }
        foreach (var attribute in second)
        {
            count = AddNew(union, count, attribute);
        }
        return count == union.Length ? union : union[..count];
    }

    private static int AddNew(string[] union, int count, string attribute)
    {
        if (!Holds(union, count, attribute))
        {
            union[count++] = attribute;
        }
        return count;
    }

    /// <summary>A parameter's data made from its object otherwise than by reading an attribute (<see cref="AnyRead"/>).</summary>
    public TaintOrigin Derived() => ReadThroughAll(AnyRead);

    /// <summary>Whether a caller's object whose reads are <paramref name="reads"/> gives data when read through <paramref name="attributes"/> (<see cref="OriginKey.ReadThrough"/>).</summary>
    public static bool ReadsAny(string[]? attributes, IReadOnlyList<string> reads)
    {
        if (attributes is null)
        {
            return false;
        }
        if (ReferenceEquals(attributes, AnyRead))
        {
            return true;
        }
        foreach (var attribute in attributes)
        {
            if (reads.Contains(attribute))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How many attributes <see cref="OriginKey.ReadThrough"/> holds, <see cref="AnyRead"/> counting most: a widening makes <see cref="TaintValue.Weight"/> grow.</summary>
    public int ReadWeight => Key.ReadThrough is not { } reads ? 0 : ReferenceEquals(reads, AnyRead) ? MaxReads + 1 : reads.Length;

    private TaintOrigin WithReads(string[] reads) =>
        this with { Key = Key with { ReadThrough = reads.Length > MaxReads ? AnyRead : reads } };

    /// <summary>Whether this origin is read through each of <paramref name="attributes"/> already (a plain loop: runs in every join).</summary>
    private bool ReadsCover(string[]? attributes)
    {
        if (attributes is null || ReferenceEquals(Key.ReadThrough, AnyRead))
        {
            return true;
        }
        if (Key.ReadThrough is not { } mine || ReferenceEquals(attributes, AnyRead))
        {
            return false;
        }
        foreach (var attribute in attributes)
        {
            if (!Holds(mine, mine.Length, attribute))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether the first <paramref name="count"/> of <paramref name="names"/> hold <paramref name="name"/>: the same
    /// string object first (attribute names are mostly the parser's), then the text; a plain loop, where
    /// <c>Array.IndexOf</c> went through the default comparer (these run in every join).
    /// </summary>
    private static bool Holds(string[] names, int count, string name)
    {
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(names[i], name) || names[i].Length == name.Length && string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>This origin as the object made at one of <paramref name="sites"/> holds it (wherever from then on), or null when none of them holds it.</summary>
    public TaintOrigin? HeldByObjectsOf(PickleGuard.Python.CallExpr[] sites)
    {
        if (Key.MadeAt is not { } mine)
        {
            return this;
        }
        foreach (var site in sites)
        {
            if (Array.IndexOf(mine, site) >= 0)
            {
                return Unmade();
            }
        }
        return null;
    }

    /// <summary>Whether each of <paramref name="sites"/> is among this origin's constructions (no lambda: <see cref="Covers"/> runs in every join).</summary>
    private bool AllMadeAt(PickleGuard.Python.CallExpr[] sites)
    {
        foreach (var site in sites)
        {
            if (Array.IndexOf(Key.MadeAt!, site) < 0)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The same origin and trace (both the same objects): a map that returns it changed nothing.</summary>
    public bool IsSameAs(TaintOrigin other) => ReferenceEquals(Key, other.Key) && ReferenceEquals(Trace, other.Trace);

    /// <summary>The same origin (its constructions aside: <see cref="Covers"/>).</summary>
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
