using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// One worker's view of the whole program for the function analyses it runs: it reads the shared
/// <see cref="TaintStore"/> (instance attributes and outer variables holding source data) and logs what the analyses
/// write into the current component's <see cref="ComponentLog"/>; it owns its resolver and caches of resolved source
/// expressions. Used from one thread at a time; workers run side by side on the components of one level.
/// </summary>
internal sealed class TaintProgram
{
    private readonly TaintStore _store;
    private readonly Dictionary<Expr, (SourceModel Model, string Name)?> _sourceCache = [];
    private readonly Dictionary<NameExpr, ClassInfo[]> _instanceClassCache = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<GlobalKey> _reads = [];
    private readonly Dictionary<(Scope, string), ImportedVariable?> _importCache = [];
    private ComponentLog _log = new();

    /// <summary>The call graph's components while a recursive group of functions is analysed on this worker, else null.</summary>
    private CallGraphLevels? _groups;

    /// <summary>The position of that group among <see cref="_groups"/>' components.</summary>
    private int _group;

    public TaintProgram(TaintStore store, ProjectIndex index, ModelSet models, TaintOptions options, ValueResolver resolver)
    {
        _store = store;
        Index = index;
        Models = models;
        Options = options;
        Resolver = resolver;
        Confinement = new ObjectConfinement(this);
        Visibility = new StoredObjectVisibility(resolver);
    }

    public ProjectIndex Index { get; }

    public ModelSet Models { get; }

    /// <summary>The analyzer this worker runs its units with (<see cref="FunctionAnalyzer.Reset"/>), made on first use.</summary>
    public FunctionAnalyzer? Analyzer { get; set; }

    public TaintOptions Options { get; }

    public ValueResolver Resolver { get; }

    /// <summary>Which objects this worker's analyses may follow per object (see <see cref="ObjectConfinement"/>).</summary>
    public ObjectConfinement Confinement { get; }

    /// <summary>Whether a store on a local object can reach a method of its class (shared with step 2's reasoning).</summary>
    public StoredObjectVisibility Visibility { get; }

    /// <summary>
    /// The addresses each project helper gives, through a source model's endpoint methods, the socket it returns
    /// (<see cref="FunctionAnalyzer"/>'s endpoint rule; found on first use: a reading function is analysed again and again).
    /// </summary>
    public Dictionary<(TaintUnit Helper, SourceModel Model, int Element), Expr[]> HelperEndpoints { get; } = [];

    /// <summary>Steps spent by the current component's analyses (see <see cref="TaintOptions.MaxTotalSteps"/>).</summary>
    public long TotalSteps
    {
        get => _log.Steps;
        set => _log.Steps = value;
    }

    /// <summary>
    /// The whole-program budget is spent: the steps applied before this level plus this component's. Components of
    /// one level do not see each other's steps, so the check does not depend on scheduling.
    /// </summary>
    public bool Exhausted => _store.TotalSteps + _log.Steps > Options.MaxTotalSteps;

    /// <summary>
    /// Starts logging the writes of the next component analysed on this worker: the one at <paramref name="position"/>
    /// of <paramref name="graph"/> when it is a recursive group (null otherwise).
    /// </summary>
    public void BeginComponent(ComponentLog log, CallGraphLevels? graph = null, int position = -1)
    {
        _log = log;
        _groups = graph;
        _group = position;
    }

    /// <summary>Whether <paramref name="unit"/> belongs to the recursive group being analysed.</summary>
    public bool InGroup(TaintUnit unit) => _groups is not null && _groups.ComponentOf(unit) == _group;

    /// <summary>An instance attribute or outer variable, as of the start of the level.</summary>
    public TaintValue ReadGlobal(GlobalKey key)
    {
        _reads.Add(key);
        return _store.Read(key);
    }

    /// <summary>Whether some attribute of the variable <paramref name="variable"/> has a fact (<c>x.attr</c> keys).</summary>
    public bool HasAttributeFacts(GlobalKey variable) => _store.HasAttributeFacts(variable);

    /// <summary>Starts collecting the keys the next analysis reads (one set per worker, reused).</summary>
    public void BeginReads() => _reads.Clear();

    /// <summary>Keeps what the analysis of <paramref name="unit"/> read, to re-run it when one of those keys changes.</summary>
    public void EndReads(TaintUnit unit) => unit.SetReadKeys(ReadTheSame(unit.ReadKeys) ? unit.ReadKeys : [.. _reads], _store.Level);

    /// <summary>Whether the analysis read the keys the unit's last one read (re-analyses mostly do: their array is kept).</summary>
    private bool ReadTheSame(GlobalKey[] keys)
    {
        if (keys.Length != _reads.Count)
        {
            return false;
        }
        foreach (var key in keys)
        {
            if (!_reads.Contains(key))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether the store already holds <paramref name="key"/>'s origin <paramref name="origin"/> (with a trace that opened
    /// a file if <paramref name="opened"/>), held as widely (<see cref="TaintOrigin.Covers"/>), or is full there: then
    /// a write of it adds nothing, since the store only grows. Not a read: the answer cannot turn false later.
    /// </summary>
    private bool WriteAddsNothing(GlobalKey key, TaintOrigin origin, bool opened)
    {
        var held = _store.Read(key).Origins;
        foreach (var other in held)
        {
            if (other.SameKey(origin.Key, opened))
            {
                return other.Covers(origin);
            }
        }
        return held.Length >= TaintValue.MaxOrigins;
    }

    /// <summary>
    /// Logs source <paramref name="origin"/> as stored into <paramref name="key"/>, with a callee's chain
    /// <paramref name="spliced"/> after its trace when given, unless that adds nothing (<see cref="WriteAddsNothing"/>):
    /// re-analyses store the same sources again, and their splice is then not made.
    /// </summary>
    /// <param name="onObject">
    /// A store on an object of the key's class made outside its methods (<c>fn.struct = v</c>): its bases' methods
    /// read it as a fact of their descendants (<see cref="DescendantsKey"/>).
    /// </param>
    /// <param name="madeAt">The construction whose object alone this store is into (<see cref="OriginKey.MadeAt"/>), else null.</param>
    public void WriteSource(GlobalKey key, TaintOrigin origin, TraceLink? spliced = null, bool onObject = false, CallExpr? madeAt = null)
    {
        if (!origin.IsSource)
        {
            return;
        }
        origin = origin.Unfetched();
        if (madeAt is not null || origin.MadeAt is not null)
        {
            origin = origin with { Key = origin.Key with { MadeAt = madeAt is null ? null : [madeAt] } };
        }
        if (WriteAddsNothing(key, origin, origin.HasOpened || spliced is { HasOpened: true }))
        {
            return;
        }
        var value = TaintValue.Of(spliced is null ? origin : origin with { Trace = origin.Trace.Splice(spliced) });
        _log.AddWrite(key, value);
        if (onObject && key.Owner is ClassInfo cls)
        {
            var chain = ClassAndBases(cls);
            for (var i = 1; i < chain.Length; i++)
            {
                _log.AddWrite(DescendantsKey(chain[i], key.Name), value);
            }
        }
    }

    /// <summary>
    /// Logs the source data among <paramref name="value"/> as stored into <paramref name="key"/> (applied after the
    /// level), held wherever: the data leaves the receiver it may have been read through (<see cref="OriginKey.MadeAt"/>).
    /// </summary>
    public void WriteGlobal(GlobalKey key, TaintValue value)
    {
        // Stored, the data is no longer this call's fetch: a later call reads it whatever URL it passes.
        var sources = value.Select(static o => o.IsSource ? o.Unfetched().Unmade() : null);
        if (!sources.IsClean)
        {
            _log.AddWrite(key, sources);
        }
    }

    /// <summary>
    /// Where the facts stored on objects of the project subclasses of <paramref name="cls"/> outside their methods are
    /// joined: a method of <paramref name="cls"/> may run on such an object, and reads them beside the facts of its
    /// own chain. A sibling subclass never runs on such an object, and does not (mlrun's <c>Schedule</c> read what was
    /// stored on a <c>Function</c> object, through their common base).
    /// </summary>
    public GlobalKey DescendantsKey(ClassInfo cls, string attribute) => new(Index.DescendantsOwner(cls), attribute);

    public void RecordHit(SinkKey sink, TaintOrigin origin) => _log.AddHit(new SinkHit(sink, origin.Unfetched()));

    /// <summary>The enabled source a name or attribute expression denotes (cheap name filter first), else null.</summary>
    public (SourceModel Model, string Name)? SourceOf(Expr expr, Scope scope)
    {
        if (expr is AttributeExpr { Value: AttributeExpr { Attr: "session_state" } state } stateRead
            && Index.WidgetState(state, stateRead.Attr, Resolver, scope) is { } widget)
        {
            return widget; // `st.session_state.model_file`
        }
        var name = expr switch
        {
            NameExpr n => n.Id,
            AttributeExpr a => a.Attr,
            _ => null,
        };
        if (name is null || !Models.Taint.MayBeSource(name))
        {
            return null;
        }
        if (_sourceCache.TryGetValue(expr, out var cached))
        {
            return cached;
        }
        (SourceModel, string)? result = null;
        foreach (var value in Resolver.Resolve(expr, new EvalContext(scope, expr.Span.Start, scope.Body)))
        {
            // Client-object sources are call results (`redis.Redis()`), not names.
            if (value is ApiValue api && Denotes(api.Path, name) && Models.Taint.SourceFor(api.Path) is { } source && Options.SourceKinds.Contains(source.Model.Kind)
                && source.Model.Attributes.Count == 0)
            {
                result = source;
                break;
            }
        }
        _sourceCache[expr] = result;
        return result;
    }

    /// <summary>
    /// Whether <paramref name="name"/> names the API at <paramref name="path"/> itself (<c>request.data</c>, <c>r.data</c>
    /// after <c>r = request</c>), rather than a value some other expression took from it: <c>job.data</c>, a property
    /// returning what a method stored from <c>request.get_data()</c>, is a read of that property, whose steps the
    /// engine follows; taken for the source, its trace would start at the read. The name filter already keys on it.
    /// </summary>
    private static bool Denotes(string path, string name) =>
        path.EndsWith(name, StringComparison.Ordinal) && (path.Length == name.Length || path[^(name.Length + 1)] == '.');

    /// <summary>
    /// The project classes whose instances <paramref name="owner"/> may hold where it is used (<c>a</c> in
    /// <c>a = Loader(); a.data = v</c>), at most 8, cached per expression: asked only for stores of tainted data.
    /// </summary>
    public ClassInfo[] InstanceClassesOf(NameExpr owner, Scope scope)
    {
        if (_instanceClassCache.TryGetValue(owner, out var cached))
        {
            return cached;
        }
        var classes = new List<ClassInfo>();
        foreach (var value in Resolver.Resolve(owner, new EvalContext(scope, owner.Span.Start, scope.Body)))
        {
            if (value is InstanceValue instance && !classes.Contains(instance.Class) && classes.Count < 8)
            {
                classes.Add(instance.Class);
            }
        }
        return _instanceClassCache[owner] = classes.Count == 0 ? [] : [.. classes];
    }

    /// <summary>What a name bound by imports in <paramref name="scope"/> denotes (<see cref="ImportedVariables.Target"/>), cached.</summary>
    public ImportedVariable? ImportTarget(Scope scope, string name)
    {
        if (!_importCache.TryGetValue((scope, name), out var target))
        {
            _importCache[(scope, name)] = target = ImportedVariables.Target(scope, name, Resolver.Project);
        }
        return target;
    }

    /// <summary>A class and its project base classes, depth first, at most <see cref="ValueResolver.MaxClassChain"/> (see <see cref="ValueResolver.ClassAndBases"/>).</summary>
    public ClassInfo[] ClassAndBases(ClassInfo cls) => Resolver.ClassAndBases(cls);
}
