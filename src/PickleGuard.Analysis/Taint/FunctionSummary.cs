using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What a function does with tainted data, independent of its callers: which parameters reach its return value,
/// which reach a sink (with the path inside the function), which are stored into instance attributes of other objects
/// (class-wide) or queued into shared variables, and which sources reach its return value; a method's summary also
/// says what it does with its receiver's attributes (FunctionSummary.Receiver.cs). Grows monotonically while the
/// fixpoint runs; <see cref="Size"/> detects change. Most functions' summaries stay empty, so the tables are made on the first entry.
/// </summary>
internal sealed partial class FunctionSummary
{
    /// <summary>The summary of every unit no analysis has added to (<see cref="TaintUnit.Summary"/>): read only, never added to.</summary>
    public static readonly FunctionSummary Empty = new();

    private Dictionary<int, TraceLink>? _paramToReturn;
    private Dictionary<int, Dictionary<SinkKey, TraceLink>>? _paramToSink;
    private Dictionary<int, Dictionary<(ClassInfo Class, string Attribute), TraceLink>>? _paramToAttribute;
    private Dictionary<int, Dictionary<GlobalKey, TraceLink>>? _paramToVariable;
    private Dictionary<int, TaintValue>? _fills;
    private Dictionary<int, TaintValue>? _saves;
    private Dictionary<int, TaintValue>? _extracts;
    private Dictionary<SinkKey, (SafeFlag Flag, TaintOrigin Origin)>? _guardedHits;

    /// <summary>
    /// The flag guarding a parameter → sink entry whose sink is written in another function (see <see cref="FlagOf"/>);
    /// null once the parameter also reaches the sink on a path the flag does not guard.
    /// </summary>
    private Dictionary<(int Parameter, SinkKey Sink), SafeFlag?>? _sinkFlags;

    /// <summary>The flags of <c>_sinkFlags</c> withdrawn (null): counted twice by <see cref="Size"/>, so withdrawing one grows it.</summary>
    private int _withdrawnFlags;

    /// <summary>Parameters returned only after a guard verified them on that path, with the path and why (see <see cref="VerifiedReturn"/>).</summary>
    private Dictionary<int, (TraceLink Chain, string Reason)>? _paramToVerifiedReturn;

    private Dictionary<int, string>? _verifiedAtExit;

    /// <summary>
    /// What the function calls a parameter with, by that parameter and the position of the argument: source data, and
    /// other parameters' data with the path from them (their origins).
    /// </summary>
    private Dictionary<(int Parameter, int Position), TaintValue>? _parameterCalls;

    /// <summary>For each parameter of <see cref="_parameterCalls"/>, the fewest helpers it is handed through before a call of it (0: this function calls it).</summary>
    private Dictionary<int, int>? _parameterCallRelays;

    /// <summary>
    /// The paths to a sink or into an attribute, another object's, the receiver's or the returned object's (of
    /// <c>_paramToSink</c>, <c>_paramToAttribute</c>, <c>_paramToReceiver</c>, <c>_paramToFresh</c> and the receiver
    /// attributes'), on which a guard verified the input, with why.
    /// </summary>
    private Dictionary<TraceLink, string>? _verifiedPaths;

    public TaintValue ReturnSources { get; set; }

    /// <summary>
    /// For a function returning tuples of one length (<see cref="TaintUnit.ReturnArity"/>): bit i is set once element i
    /// of a returned tuple may hold data of any origin, a parameter's included; the other elements are always clean.
    /// For a function returning dict displays (<see cref="TaintUnit.ReturnedKeys"/>), bit i stands for key i the same way.
    /// </summary>
    public ulong TaintedReturnElements { get; private set; }

    public void AddTaintedReturnElement(int index) => TaintedReturnElements |= 1UL << index;

    /// <summary>
    /// The summary's entries, summed over its tables (and widenings counted as growth): read before and after every
    /// analysis to tell whether it grew. <see cref="Empty"/>, the summary of every unit nothing was added to, is never
    /// added to, so its size is 0 without the sums.
    /// </summary>
    public int Size => ReferenceEquals(this, Empty) ? 0 : Sum;

    private int Sum =>
        (_paramToReturn?.Count ?? 0) + (_paramToVerifiedReturn?.Count ?? 0) + (_verifiedAtExit?.Count ?? 0) + Count(_paramToSink) + Count(_paramToAttribute) + Count(_paramToVariable) + ReturnSources.Weight + ReceiverSize + FreshSize
        + OriginCount(_fills) + OriginCount(_saves) + OriginCount(_extracts) + (_guardedHits?.Count ?? 0) + System.Numerics.BitOperations.PopCount(TaintedReturnElements)
        + OriginCount(_parameterCalls) + ReturnReadWeight + (_sinkFlags?.Count ?? 0) + _withdrawnFlags + _unverifiedPaths + PathReadCount + OriginCount(_pathSaves) + CommandRunCount;

    /// <summary>
    /// What the function puts into the object a parameter holds (<c>def fill(buf, data): buf.write(data)</c>): source data,
    /// and other parameters' data with the path from them (their origins), by the parameter filled.
    /// </summary>
    public IReadOnlyDictionary<int, TaintValue>? Fills => _fills;

    public void AddFill(int parameter, TaintValue value) => Add(ref _fills, parameter, value);

    /// <summary>
    /// What the function saves into the file at the path a parameter holds (<c>def download(url, dest): with open(dest,
    /// "wb") as f: f.write(requests.get(url).content)</c>), by that parameter: read back by the caller's path, it is that data.
    /// </summary>
    public IReadOnlyDictionary<int, TaintValue>? Saves => _saves;

    public void AddSave(int parameter, TaintValue value) => Add(ref _saves, parameter, value);

    /// <summary>
    /// What the function extracts from an archive into the directory a parameter names (<c>def unpack(url, dest): ...
    /// tar.extractall(path=dest)</c>), by that parameter: under the caller's directory, every file may hold it.
    /// </summary>
    public IReadOnlyDictionary<int, TaintValue>? Extracts => _extracts;

    public void AddExtract(int parameter, TaintValue value) => Add(ref _extracts, parameter, value);

    /// <summary>
    /// Source data reaching a sink that a parameter of this function makes safe by its default, in the sink's own function
    /// (<c>def load_pt(url, weights_only=True): torch.load(BytesIO(requests.get(url).content), weights_only=weights_only)</c>)
    /// or handed on to it (<c>_torch_load(hf_hub_download(...), weights_only=weights_only)</c>): a hit only at a call that
    /// gives the parameter something else (<see cref="FunctionAnalyzer"/>, SafeArguments).
    /// </summary>
    public IReadOnlyDictionary<SinkKey, (SafeFlag Flag, TaintOrigin Origin)>? GuardedHits => _guardedHits;

    /// <summary>Adds a guarded hit; false when the sink already has one under another flag (the caller then records this one as a hit: one flag per sink is kept).</summary>
    public bool AddGuardedHit(SinkKey sink, SafeFlag flag, TaintOrigin origin) =>
        (_guardedHits ??= []).TryAdd(sink, (flag, origin.Unmade())) || _guardedHits[sink].Flag.SameGuard(flag);

    /// <summary>
    /// The flag guarding <paramref name="parameter"/>'s path to <paramref name="sink"/>, a sink written in another function
    /// whose flag this function hands on from a parameter of its own (<c>weights_only=weights_only</c>); null when none
    /// guards every such path. A sink written in this function has its flags in its body (FunctionAnalyzer.SafeFlags.cs).
    /// </summary>
    public SafeFlag? FlagOf(int parameter, SinkKey sink) => _sinkFlags?.GetValueOrDefault((parameter, sink));

    /// <summary>
    /// After the parameter reached <paramref name="sink"/> again (its first path is kept): withdraws the flag kept for it
    /// unless this path has the same one.
    /// </summary>
    public void NoteSinkFlag(TaintOrigin origin, SinkKey sink, SafeFlag? flag)
    {
        if (origin.Parameter >= 0 && _sinkFlags is not null && _sinkFlags.TryGetValue((origin.Parameter, sink), out var kept) && kept is { } guard
            && (flag is not { } other || !guard.SameGuard(other)))
        {
            _sinkFlags[(origin.Parameter, sink)] = null;
            _withdrawnFlags++;
        }
    }

    /// <summary>
    /// Joins <paramref name="value"/> into a table's entry, held wherever (<see cref="TaintValue.Unmade"/>): only the
    /// return value keeps what the method read through its receiver (<see cref="OriginKey.MadeAt"/>), for its callers to
    /// match with the object they call it on.
    /// </summary>
    private static void Add<TKey>(ref Dictionary<TKey, TaintValue>? table, TKey key, TaintValue value)
        where TKey : notnull
    {
        value = value.Unmade();
        (table ??= [])[key] = table.TryGetValue(key, out var held) ? held.Join(value) : value;
    }

    /// <summary>
    /// The origins of a table's values. Checked for null before the loop, which then runs on the table's own enumerator:
    /// a loop over <c>table?.Values ?? []</c> enumerates through the interface (a boxed enumerator, or the empty array's),
    /// and <see cref="Size"/>, read before and after every analysis, made seven such loops.
    /// </summary>
    private static int OriginCount<TKey>(Dictionary<TKey, TaintValue>? table)
        where TKey : notnull
    {
        if (table is null)
        {
            return 0;
        }
        var size = 0;
        foreach (var value in table.Values)
        {
            size += value.Origins.Length;
        }
        return size;
    }

    /// <summary>The path from <paramref name="parameter"/> to the return value, if it reaches it.</summary>
    public bool TryGetReturn(int parameter, out TraceLink chain)
    {
        chain = null!;
        return _paramToReturn is not null && _paramToReturn.TryGetValue(parameter, out chain!);
    }

    /// <summary>
    /// The path from <paramref name="parameter"/> to the return value and the guard that verified it on the way, when
    /// every return of it is verified (<c>def verify(data, sig): if not hmac.compare_digest(...): raise ...; return
    /// data</c>); null when it is not returned or some return is not verified (<see cref="TryGetReturn"/>).
    /// </summary>
    public (TraceLink Chain, string Reason)? VerifiedReturn(int parameter) =>
        _paramToReturn?.ContainsKey(parameter) == true || _paramToVerifiedReturn is null || !_paramToVerifiedReturn.TryGetValue(parameter, out var entry) ? null : entry;

    public void AddVerifiedReturn(int parameter, TraceLink chain, string reason) => (_paramToVerifiedReturn ??= []).TryAdd(parameter, (chain, reason));

    /// <summary>
    /// The parameters a guard has verified wherever the function returns normally, with why: it raises (or never
    /// returns) unless they are authentic (<c>def check(data, sig): if not hmac.compare_digest(...): raise ...</c>), so
    /// after a call the caller's arguments for them are verified.
    /// </summary>
    public IReadOnlyDictionary<int, string>? VerifiedAtExit => _verifiedAtExit;

    public void AddVerifiedAtExit(int parameter, string reason) => (_verifiedAtExit ??= []).TryAdd(parameter, reason);

    /// <summary>The sinks <paramref name="parameter"/> reaches, with the path to each, or null.</summary>
    public Dictionary<SinkKey, TraceLink>? SinksOf(int parameter) => _paramToSink?.GetValueOrDefault(parameter);

    /// <summary>Some parameter reaches a sink.</summary>
    public bool PassesToSinks => _paramToSink is { Count: > 0 };

    /// <summary>The attributes of other objects than the receiver <paramref name="parameter"/> is stored into (class-wide), with the path to each, or null.</summary>
    public Dictionary<(ClassInfo Class, string Attribute), TraceLink>? AttributesOf(int parameter) => _paramToAttribute?.GetValueOrDefault(parameter);

    /// <summary>
    /// The outer variables <paramref name="parameter"/> is put into (<c>JOBS.put(data)</c> on a module variable, also of
    /// another module through its import), with the path to each, or null.
    /// </summary>
    public Dictionary<GlobalKey, TraceLink>? VariablesOf(int parameter) => _paramToVariable?.GetValueOrDefault(parameter);

    public void AddReturn(int parameter, TraceLink chain) => (_paramToReturn ??= []).TryAdd(parameter, chain);

    /// <summary>
    /// The attributes read on the object passed for each returned parameter, on every path to the return value
    /// joined (<see cref="OriginKey.ReadThrough"/>), held as the origin that has them.
    /// </summary>
    private Dictionary<int, TaintOrigin>? _returnReads;

    /// <summary>
    /// The attributes the object passed for <paramref name="parameter"/> is read through on its way to the return value
    /// (<see cref="OriginKey.ReadThrough"/>): empty when returned as passed (in a container, or handed back),
    /// <see cref="TaintOrigin.AnyRead"/> when not known (a verified return).
    /// </summary>
    public string[] ReturnReads(int parameter) =>
        _returnReads is not null && _returnReads.TryGetValue(parameter, out var returned) ? returned.Key.ReadThrough ?? [] : TaintOrigin.AnyRead;

    private void AddReturnReads(TaintOrigin origin)
    {
        var reads = _returnReads ??= [];
        if (!reads.TryGetValue(origin.Parameter, out var held))
        {
            reads[origin.Parameter] = origin;
        }
        else if (!held.Covers(origin))
        {
            reads[origin.Parameter] = held.ReadThroughAll(origin.Key.ReadThrough!);
        }
    }

    /// <summary>The attributes of <see cref="_returnReads"/>, for <see cref="Size"/>: a parameter read through one more grows it.</summary>
    private int ReturnReadWeight
    {
        get
        {
            if (_returnReads is null)
            {
                return 0;
            }
            var weight = 0;
            foreach (var origin in _returnReads.Values)
            {
                weight += origin.ReadWeight;
            }
            return weight;
        }
    }

    /// <summary>
    /// <c>def render(func): return func(request.POST)</c>: the data the function calls its parameter
    /// <paramref name="parameter"/> with, at argument <paramref name="position"/> — source data, or another parameter's
    /// (<c>def load_from_path(path, loader): return loader(path)</c>); a function a caller passes for it receives that
    /// data there (Vulnerable-Bottle-App's views). <paramref name="relays"/> counts the helpers the parameter was handed
    /// through to the call (<see cref="ParameterCallRelays"/>).
    /// </summary>
    public void AddParameterCall(int parameter, int position, TaintValue value, int relays = 0)
    {
        Add(ref _parameterCalls, (parameter, position), value);
        (_parameterCallRelays ??= [])[parameter] = Math.Min(relays, _parameterCallRelays.GetValueOrDefault(parameter, relays));
    }

    /// <summary>Every entry of <see cref="AddParameterCall"/>: the parameter called, the argument's position, the data.</summary>
    public IReadOnlyDictionary<(int Parameter, int Position), TaintValue>? ParameterCalls => _parameterCalls;

    /// <summary>The fewest helpers <paramref name="parameter"/> is handed through before a call of it (0: this function calls it).</summary>
    public int ParameterCallRelays(int parameter) => _parameterCallRelays?.GetValueOrDefault(parameter) ?? 0;

    /// <summary>
    /// Why the input is verified on the path <paramref name="chain"/> to a sink (<c>if not hmac.compare_digest(...):
    /// raise</c> before <c>pickle.loads(data)</c>) or into an attribute (<c>Feeder(data)</c>, <c>self.data = data</c>,
    /// <c>return Box(data)</c> after the check), or null: what a caller passes along it is verified too.
    /// </summary>
    public string? VerificationOf(TraceLink chain) => _verifiedPaths?.GetValueOrDefault(chain);

    /// <summary>
    /// Adds a path to a sink or an attribute (the first one added is kept, <see cref="Add"/>), and notes when a guard
    /// verified it by <paramref name="reason"/>. An unverified path replaces a verified one kept before it: the input
    /// reaches the sink both ways (<c>if blob == b"": log(blob)</c> then <c>pickle.loads(blob)</c>; the verified origin
    /// came first from the join), and what a caller passes must reach it unverified, as it would in the function itself.
    /// </summary>
    private void AddVerifiablePath<TKey, TItem>(ref Dictionary<TKey, Dictionary<TItem, TraceLink>>? table, TKey key, TItem item, TraceLink chain, string? reason)
        where TKey : notnull
        where TItem : notnull
    {
        Add(ref table, key, item, chain);
        var paths = table![key]; // made by Add
        var kept = paths[item];
        if (ReferenceEquals(kept, chain))
        {
            if (reason is not null)
            {
                (_verifiedPaths ??= new(ReferenceEqualityComparer.Instance)).TryAdd(chain, reason);
            }
        }
        else if (reason is null && _verifiedPaths is not null && _verifiedPaths.Remove(kept))
        {
            paths[item] = chain;
            _unverifiedPaths++;
        }
    }

    /// <summary>The verified paths <see cref="AddVerifiablePath"/> replaced by unverified ones: counted by <see cref="Size"/>, so a replacement grows it.</summary>
    private int _unverifiedPaths;

    /// <summary>Whether an input of origin <paramref name="origin"/> needs no new path beside <paramref name="kept"/>: one is kept, and it is unverified unless the input is verified too.</summary>
    private bool KeepsPath(TaintOrigin origin, TraceLink? kept) => kept is not null && (origin.Verified is not null || VerificationOf(kept) is null);

    /// <summary>The path kept from <paramref name="key"/> to <paramref name="sink"/>, or null.</summary>
    private static TraceLink? Kept<TKey, TItem>(Dictionary<TKey, Dictionary<TItem, TraceLink>>? table, TKey key, TItem item)
        where TKey : notnull
        where TItem : notnull =>
        table is not null && table.TryGetValue(key, out var paths) && paths.TryGetValue(item, out var kept) ? kept : null;

    public void AddVariable(int parameter, GlobalKey variable, TraceLink chain) => Add(ref _paramToVariable, parameter, variable, chain);

    /// <summary>Adds <paramref name="item"/> under <paramref name="key"/> of a two-level table made on first use (the first path found is kept).</summary>
    private static void Add<TKey, TItem>(ref Dictionary<TKey, Dictionary<TItem, TraceLink>>? table, TKey key, TItem item, TraceLink chain)
        where TKey : notnull
        where TItem : notnull
    {
        table ??= [];
        if (!table.TryGetValue(key, out var items))
        {
            table[key] = items = [];
        }
        items.TryAdd(item, chain);
    }

    private static bool Has<TKey, TItem>(Dictionary<TKey, Dictionary<TItem, TraceLink>>? table, TKey key, TItem item)
        where TKey : notnull
        where TItem : notnull =>
        table is not null && table.TryGetValue(key, out var items) && items.ContainsKey(item);

    /// <summary>The entries of a two-level table (a plain loop: <see cref="Size"/> is read before and after every analysis).</summary>
    private static int Count<TKey, TItem>(Dictionary<TKey, Dictionary<TItem, TraceLink>>? table)
        where TKey : notnull
        where TItem : notnull
    {
        var count = 0;
        if (table is not null)
        {
            foreach (var items in table.Values)
            {
                count += items.Count;
            }
        }
        return count;
    }
}
