using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// One analysed body: a function, method or lambda (<see cref="Function"/> set) or a module's top-level code.
/// Parameters are numbered in declaration order (positional-only, positional, *args, keyword-only, **kwargs),
/// <c>self</c> included.
/// </summary>
internal sealed class TaintUnit : IdentityKeyed
{
    public TaintUnit(FunctionInfo? function, Scope scope)
    {
        Function = function;
        Scope = scope;
        var arguments = function?.Arguments;
        var decorators = function?.Decorators ?? [];
        for (var i = 0; i < decorators.Count; i++) // one unit per function of the project: no LINQ here
        {
            IsStatic |= decorators[i] is NameExpr { Id: "staticmethod" };
            IsClassMethod |= decorators[i] is NameExpr { Id: "classmethod" };
        }
        if (arguments is not null)
        {
            Parameters = ParametersOf(arguments);
            PositionalCount = arguments.Posonlyargs.Count + arguments.Args.Count;
            _hasVararg = arguments.Vararg is not null;
            _hasKwarg = arguments.Kwarg is not null;
        }
    }

    /// <summary>
    /// The parameters in declaration order. Most functions have positional ones only: their parser array is shared, not
    /// copied (a list and a copy per unit were 4.8 MB on the stdlib); it is never written to.
    /// </summary>
    private static Arg[] ParametersOf(Arguments arguments)
    {
        if (arguments is { Posonlyargs.Count: 0, Vararg: null, Kwonlyargs.Count: 0, Kwarg: null } && arguments.Args is Arg[] positional)
        {
            return positional;
        }
        var parameters = new Arg[arguments.Posonlyargs.Count + arguments.Args.Count + arguments.Kwonlyargs.Count
            + (arguments.Vararg is null ? 0 : 1) + (arguments.Kwarg is null ? 0 : 1)];
        var next = 0;
        Append(arguments.Posonlyargs);
        Append(arguments.Args);
        if (arguments.Vararg is { } vararg)
        {
            parameters[next++] = vararg;
        }
        Append(arguments.Kwonlyargs);
        if (arguments.Kwarg is { } kwarg)
        {
            parameters[next] = kwarg;
        }
        return parameters;

        void Append(IReadOnlyList<Arg> args)
        {
            for (var i = 0; i < args.Count; i++)
            {
                parameters[next++] = args[i];
            }
        }
    }

    // There is a unit per function of the project: what can be derived is not stored, what few have is in RareFacts
    // (a unit was 208 bytes, 152 at the thirty-fifth session's start, 128 since).
    public ModuleModel Module => Scope.Module;

    public FunctionInfo? Function { get; }

    public Scope Scope { get; }

    /// <summary>Some function or lambda is nested in this one (its variables may be read there, as a closure's).</summary>
    public bool EnclosesUnits { get; set; }

    /// <summary>Some call of the unit is a sink (directly or as a reference: <c>map(pickle.loads, items)</c>).</summary>
    public bool CallsSinks { get; set; }

    /// <summary>The attribute names the body reads on plain names, once a class it makes has properties (<see cref="AttributeReads.OnNames"/>).</summary>
    public HashSet<string>? AttributesRead
    {
        get => _rare?.AttributesRead;
        set { if (RareFor(value) is { } rare) rare.AttributesRead = value; }
    }

    /// <summary>The properties of objects this body makes that it reads: it calls their getters (null: none).</summary>
    public HashSet<string>? PropertiesOfMadeObjects
    {
        get => _rare?.PropertiesOfMadeObjects;
        set { if (RareFor(value) is { } rare) rare.PropertiesOfMadeObjects = value; }
    }

    /// <summary>
    /// What is known of how the body uses parameter <paramref name="parameter"/> when an object source is passed for it
    /// (<see cref="ProjectIndex.ParameterUsesOf"/> fills it; a null answer is kept too), or null when not known yet.
    /// </summary>
    public AttributeUses? AttributeUsesKnown(int parameter) => _rare?.AttributeUses?[parameter];

    public void KeepAttributeUses(int parameter, AttributeUses uses)
    {
        var rare = RareFor(uses)!;
        (rare.AttributeUses ??= new AttributeUses[Parameters.Length])[parameter] = uses;
    }

    /// <summary>
    /// The keys the body reads from its <c>**kwargs</c> when it reads them only by constant key, else null
    /// (<see cref="PackedArgumentReads"/>); found on first use and kept.
    /// </summary>
    public IReadOnlySet<string>? KeywordsRead => KwargIndex < 0 ? null : PackedReads().Keywords;

    /// <summary>The positions the body reads from its <c>*args</c> when it reads them only by constant index, else null (as <see cref="KeywordsRead"/>).</summary>
    public IReadOnlySet<string>? PositionsRead => VarargIndex < 0 ? null : PackedReads().Positions;

    private PackedUses PackedReads()
    {
        var rare = RareFor(this)!;
        if (Volatile.Read(ref rare.PackedReads) is not { } known)
        {
            Volatile.Write(ref rare.PackedReads, known = new PackedUses(PackedArgumentReads.KeywordsOf(this), PackedArgumentReads.PositionsOf(this)));
        }
        return known;
    }

    /// <summary>
    /// The constant keys the body reads from its plain parameter <paramref name="parameter"/> when it reads it only by
    /// constant key (<c>bundle["function"]</c>, <c>bundle.get("k")</c>), else null (<see cref="PackedArgumentReads"/>);
    /// found on first use and kept.
    /// </summary>
    public IReadOnlySet<string>? KeysRead(int parameter)
    {
        var rare = RareFor(this)!;
        var known = Volatile.Read(ref rare.KeysRead) ?? Interlocked.CompareExchange(ref rare.KeysRead, new KeyReads?[Parameters.Length], null) ?? rare.KeysRead!;
        if (Volatile.Read(ref known[parameter]) is not { } reads)
        {
            Volatile.Write(ref known[parameter], reads = new KeyReads(PackedArgumentReads.KeysOf(this, parameter)));
        }
        return reads.Keys;
    }

    /// <summary>
    /// The keys its own <c>**kwargs</c> can hold, the keywords every call of it passes by name, else null
    /// (<see cref="CallerKeywords"/>); found on first use and kept.
    /// </summary>
    public IReadOnlySet<string>? CallerKeywords(ProjectIndex index)
    {
        var rare = RareFor(this)!;
        if (Volatile.Read(ref rare.CallerKeywords) is not { } known)
        {
            Volatile.Write(ref rare.CallerKeywords, known = new KeyReads(Taint.CallerKeywords.Of(index, this)));
        }
        return known.Keys;
    }

    /// <summary>
    /// Whether the unit is a module function returning only local file paths (<see cref="LocalPaths.ReturnsLocal"/>);
    /// found on first use and kept.
    /// </summary>
    public bool ReturnsLocalPath(TaintProgram program)
    {
        var rare = RareFor(this)!;
        if (Volatile.Read(ref rare.ReturnsLocalPath) is not { } known)
        {
            Volatile.Write(ref rare.ReturnsLocalPath, known = LocalPaths.ReturnsLocal(program, this) ? Answer.Yes : Answer.No);
        }
        return known == Answer.Yes;
    }

    /// <summary>
    /// What few units have, in one object made on the first write of one of them (on each unit, the six fields were 48
    /// bytes, 3 MB on the stdlib; the confined objects, returned keys and arities three more, 1.5 MB: 165, 1,338 and 885 of
    /// 62,000 units have them).
    /// </summary>
    private sealed class RareFacts
    {
        public HashSet<string>? AttributesRead;
        public HashSet<string>? PropertiesOfMadeObjects;
        public AttributeUses[]? AttributeUses;
        public int[]? VerifiedParameters;
        public int[]? PinnedParameters;
        public ReturnedDigest? ReturnedDigest;
        public IReadOnlyDictionary<string, ClassInfo>? EscapingObjects;
        public ClassInfo? FreshClass;
        public PackedUses? PackedReads;
        public KeyReads?[]? KeysRead;
        public (CallExpr Call, TaintUnit Callee)[]? HiddenOverrides;
        public (CallExpr Call, TaintUnit Callee)[][]? ReceiverGroups;
        public KeyReads? CallerKeywords;
        public Answer? ReturnsLocalPath;
        public IReadOnlyDictionary<string, ClassInfo>? ConfinedObjects;
        public string[]? ReturnedKeys;
        public Arities? Arities;
    }

    /// <summary>One unit's <see cref="ReturnArity"/> and <see cref="YieldArity"/>, kept together so that a worker reads both or neither.</summary>
    private sealed record Arities(int Returned, int Yielded);

    /// <summary>A yes/no answer kept by reference (null: not known yet), so that a worker reads it whole or not at all.</summary>
    private sealed class Answer
    {
        public static readonly Answer Yes = new(), No = new();
    }

    /// <summary>One parameter's <see cref="KeysRead"/> answer, or one unit's <see cref="CallerKeywords"/> (a null set is an answer too).</summary>
    private sealed record KeyReads(IReadOnlySet<string>? Keys);

    /// <summary>One unit's <see cref="KeywordsRead"/> and <see cref="PositionsRead"/> answers (a null set is an answer too).</summary>
    private sealed record PackedUses(IReadOnlySet<string>? Keywords, IReadOnlySet<string>? Positions);

    private RareFacts? _rare;

    /// <summary>
    /// The rare facts to write <paramref name="value"/> into, made for a value that is not null; null when there are none
    /// and the value is null (the write changes nothing). Made at most once even when two workers write one unit at once.
    /// </summary>
    private RareFacts? RareFor(object? value)
    {
        if (Volatile.Read(ref _rare) is { } rare)
        {
            return rare;
        }
        return value is null ? null : Interlocked.CompareExchange(ref _rare, new RareFacts(), null) ?? _rare;
    }

    /// <summary>
    /// For a copy of a method analysed for calls on one receiver class (ProjectIndex.ReceiverContexts.cs): the overrides its
    /// calls on <c>self</c>/<c>cls</c> do not run for that class, by call. Null for every other unit.
    /// </summary>
    public (CallExpr Call, TaintUnit Callee)[]? HiddenOverrides
    {
        get => _rare?.HiddenOverrides;
        init { if (RareFor(value) is { } rare) rare.HiddenOverrides = value; }
    }

    /// <summary>
    /// For a method whose calls on <c>self</c>/<c>cls</c> run overrides of several live classes
    /// (ProjectIndex.ReceiverContexts.cs): per receiver class, the overrides it does not run; the unit is analysed once
    /// per group, so that one analysis never pairs one class's <c>get</c> with another's <c>set</c>. Null: one analysis,
    /// with <see cref="HiddenOverrides"/>.
    /// </summary>
    public (CallExpr Call, TaintUnit Callee)[][]? ReceiverGroups
    {
        get => _rare?.ReceiverGroups;
        set { if (RareFor(value) is { } rare) rare.ReceiverGroups = value; }
    }

    public string Name => Function?.Name ?? "<module " + Module.Name + ">";

    public Arg[] Parameters { get; } = [];

    public int PositionalCount { get; }

    /// <summary>The position of the parameter named <paramref name="name"/>, or -1 (a plain loop: no closure per question).</summary>
    public int IndexOfParameter(string name)
    {
        for (var i = 0; i < Parameters.Length; i++)
        {
            if (Parameters[i].ArgValue == name)
            {
                return i;
            }
        }
        return -1;
    }

    private readonly bool _hasVararg;
    private readonly bool _hasKwarg;

    /// <summary>The position of <c>*args</c> (right after the positional parameters), or -1.</summary>
    public int VarargIndex => _hasVararg ? PositionalCount : -1;

    /// <summary>The position of <c>**kwargs</c> (the last parameter), or -1.</summary>
    public int KwargIndex => _hasKwarg ? Parameters.Length - 1 : -1;

    /// <summary>Whether <paramref name="expr"/> is the name of this unit's own <c>**kwargs</c> parameter.</summary>
    public bool IsOwnKwargs(Expr expr) => KwargIndex >= 0 && expr is NameExpr { Id: var name } && name == Parameters[KwargIndex].ArgValue;

    public bool IsStatic { get; }

    public bool IsClassMethod { get; }

    /// <summary>A method whose first parameter is the instance (or class) it is called on.</summary>
    public bool TakesReceiver => Function?.Owner is not null && !IsStatic;

    private FunctionSummary? _summary;

    /// <summary>
    /// What the analyses found the unit does with its inputs, to read: the shared empty summary until an analysis of
    /// the unit adds something (most units' summaries stay empty: one each was 7 MB on the standard library).
    /// </summary>
    public FunctionSummary Summary => _summary ?? FunctionSummary.Empty;

    /// <summary>
    /// The unit's own summary, for its analysis to add to, made on the first entry. Only that analysis asks for it
    /// (one worker at a time), and nothing adds to <see cref="Summary"/>: it may be the shared empty one.
    /// </summary>
    public FunctionSummary OwnSummary => _summary ??= new FunctionSummary();

    private CallInfo? _calledAlone;
    private CallInfo? _calledAloneBound;

    /// <summary>
    /// The <see cref="CallInfo"/> of a call of this unit and nothing else, shared by all such calls. Modules resolve
    /// in parallel: two may each make one, which is harmless (equal and never modified).
    /// </summary>
    public CallInfo CalledAlone(bool bound) => bound
        ? _calledAloneBound ??= CallInfo.Alone(this, true)
        : _calledAlone ??= CallInfo.Alone(this, false);

    /// <summary>The common length of the tuple displays the unit returns, 0 when it returns anything else (<see cref="ReturnedTuples"/>).</summary>
    public int ReturnArity => FindArities().Returned;

    /// <summary>For a generator, the common length of the tuple displays it yields, else 0 (<see cref="ReturnedTuples"/>).</summary>
    public int YieldArity => FindArities().Yielded;

    /// <summary>Found on first use and kept (two workers finding them at once keep equal answers).</summary>
    private Arities FindArities()
    {
        var rare = RareFor(this)!;
        if (Volatile.Read(ref rare.Arities) is not { } known)
        {
            var (returned, yielded) = ReturnedTuples.AritiesOf(this);
            Volatile.Write(ref rare.Arities, known = new Arities(returned, yielded));
        }
        return known;
    }

    /// <summary>
    /// The part keys (<c>[name]</c>) of the dict displays the unit returns, when every <c>return</c> hands back such a
    /// display with constant keys only (or nothing), at most <see cref="ReturnedTuples.MaxArity"/> of them; else empty.
    /// The summary records which of them may hold data by position (<see cref="FunctionSummary.TaintedReturnElements"/>),
    /// so <c>make(url)["name"]</c> is clean when no return puts data under <c>"name"</c>.
    /// </summary>
    public string[] ReturnedKeys => RareFor(this)!.ReturnedKeys ??= ReturnedTuples.KeysOf(this); // a race finds equal keys

    /// <summary>What its code reads and writes of attributes and files, from its syntax (for <see cref="RelevantUnits"/>).</summary>
    public CodeFootprint Footprint => Function?.Footprint ?? Module.TopLevelFootprint;

    /// <summary>The unit's position in <see cref="ProjectIndex.Units"/> (arrays indexed by unit instead of dictionaries).</summary>
    public int Id { get; set; } = -1;

    /// <summary>Units this one calls (edges of the call graph, set by <see cref="Link"/>; never modified), each once, in the order found.</summary>
    public TaintUnit[] Callees { get; private set; } = [];

    /// <summary>Units calling this one (see <see cref="Callees"/>), each once, in the order their edges were found.</summary>
    public TaintUnit[] Callers { get; private set; } = [];

    /// <summary>
    /// Sets every unit's <see cref="Callees"/> and <see cref="Callers"/> from the call graph's edges, in the order they
    /// were found, each pair once (its first occurrence). Arrays made at once instead of two growing hash sets per unit:
    /// those were the taint index's largest allocation.
    /// </summary>
    /// <param name="units">Every unit, each at the position its <see cref="Id"/> names.</param>
    public static void Link(IReadOnlyList<TaintUnit> units, Edges edges)
    {
        // The edges grouped by caller, each group in the order found (a counting sort), so a mark per callee of the
        // caller last seen with it finds the repeats.
        var starts = new int[units.Count + 1];
        for (var e = 0; e < edges.Count; e++)
        {
            starts[edges.CallerOf(e) + 1]++;
        }
        for (var u = 0; u < units.Count; u++)
        {
            starts[u + 1] += starts[u];
        }
        var byCaller = new int[edges.Count];
        var filled = (int[])starts.Clone();
        for (var e = 0; e < edges.Count; e++)
        {
            byCaller[filled[edges.CallerOf(e)]++] = e;
        }
        var first = new bool[edges.Count];
        var lastCaller = new int[units.Count]; // per callee: 1 + the id of the last caller listing it
        var callerCounts = new int[units.Count];
        for (var u = 0; u < units.Count; u++)
        {
            var count = 0;
            for (var k = starts[u]; k < starts[u + 1]; k++)
            {
                var callee = edges.CalleeOf(byCaller[k]);
                if (lastCaller[callee] != u + 1)
                {
                    lastCaller[callee] = u + 1;
                    first[byCaller[k]] = true;
                    callerCounts[callee]++;
                    count++;
                }
            }
            if (count == 0)
            {
                continue;
            }
            var callees = units[u].Callees = new TaintUnit[count];
            var next = 0;
            for (var k = starts[u]; k < starts[u + 1]; k++)
            {
                if (first[byCaller[k]])
                {
                    callees[next++] = units[edges.CalleeOf(byCaller[k])];
                }
            }
        }
        var callersFilled = new int[units.Count];
        for (var e = 0; e < edges.Count; e++)
        {
            if (first[e])
            {
                var (caller, callee) = (units[edges.CallerOf(e)], units[edges.CalleeOf(e)]);
                if (callee.Callers.Length == 0)
                {
                    callee.Callers = new TaintUnit[callerCounts[callee.Id]];
                }
                callee.Callers[callersFilled[callee.Id]++] = caller;
            }
        }
    }

    /// <summary>
    /// The call graph's edges for <see cref="Link"/>, in the order found, as the ids of their units: two arrays of ints
    /// made at a bound of their number, half the memory of a list of pairs of units.
    /// </summary>
    public sealed class Edges(int capacity)
    {
        private readonly int[] _callers = new int[capacity];
        private readonly int[] _callees = new int[capacity];

        public int Count { get; private set; }

        public void Add(TaintUnit caller, TaintUnit callee)
        {
            _callers[Count] = caller.Id;
            _callees[Count] = callee.Id;
            Count++;
        }

        public int CallerOf(int edge) => _callers[edge];

        public int CalleeOf(int edge) => _callees[edge];
    }

    /// <summary>Instance attributes and outer variables read by the last analysis (to re-run it when they change).</summary>
    public GlobalKey[] ReadKeys { get; private set; } = [];

    /// <summary>The <see cref="TaintStore.Level"/> at which the last analysis ran: it saw every change applied before.</summary>
    public int AnalysedAtLevel { get; private set; }

    public void SetReadKeys(GlobalKey[] keys, int level)
    {
        ReadKeys = keys;
        AnalysedAtLevel = level;
    }

    public bool Truncated { get; set; }

    /// <summary>The parameters the function authenticates when it returns true (FunctionAnalyzer.Verifiers.cs), once looked for.</summary>
    public int[]? VerifiedParameters
    {
        get => _rare?.VerifiedParameters;
        set { if (RareFor(value) is { } rare) rare.VerifiedParameters = value; }
    }

    /// <summary>The parameters every call of the function passes program data for (FunctionAnalyzer.PinnedParameters.cs), once looked for.</summary>
    public int[]? PinnedParameters
    {
        get => _rare?.PinnedParameters;
        set { if (RareFor(value) is { } rare) rare.PinnedParameters = value; }
    }

    /// <summary>What every return of the function gives to a guard, an HMAC or a keyless hash (FunctionAnalyzer.Guards.cs), once looked for.</summary>
    public ReturnedDigest? ReturnedDigest
    {
        get => _rare?.ReturnedDigest;
        set { if (RareFor(value) is { } rare) rare.ReturnedDigest = value; }
    }

    /// <summary>What each parameter holds when an analysis starts (null for the receiver), made by the first analysis.</summary>
    public VarTaint?[]? ParameterTaints { get; set; }

    /// <summary>
    /// The locals holding an object confined to this body, with its class, once <see cref="ObjectConfinement"/> has looked
    /// (null before). Most units hold none: that answer is a flag, a filled table a rare fact.
    /// </summary>
    public IReadOnlyDictionary<string, ClassInfo>? ConfinedObjects
    {
        get => _rare?.ConfinedObjects ?? (_holdsNoConfinedObjects ? ObjectConfinement.None : null);
        set
        {
            if (value is { Count: 0 })
            {
                _holdsNoConfinedObjects = true;
            }
            else if (RareFor(value) is { } rare)
            {
                rare.ConfinedObjects = value;
            }
        }
    }

    private bool _holdsNoConfinedObjects;

    /// <summary>
    /// The locals every binding of which makes an object of one class followed per object that escapes this body
    /// (passed on, stored, ...), with its class: their attributes are also class-wide facts. Null: none.
    /// </summary>
    public IReadOnlyDictionary<string, ClassInfo>? EscapingObjects
    {
        get => _rare?.EscapingObjects;
        set { if (RareFor(value) is { } rare) rare.EscapingObjects = value; }
    }

    /// <summary>
    /// The project class of the fresh object every return of this function makes, when it is a factory whose object
    /// never escapes other than by being returned (<see cref="ObjectConfinement.FindFactories"/>); else null.
    /// </summary>
    public ClassInfo? FreshClass
    {
        get => _rare?.FreshClass;
        set { if (RareFor(value) is { } rare) rare.FreshClass = value; }
    }

    public IReadOnlyList<Stmt> Body => Function?.Body ?? Module.Parse.Module.Body;

    public Expr? LambdaBody => (Function?.Node as LambdaExpr)?.Body;

    /// <summary>Walks the body's code: a lambda's expression, or the statements.</summary>
    public void Walk(AstWalker walker)
    {
        if (LambdaBody is { } body)
        {
            walker.Walk(body);
            return;
        }
        foreach (var statement in Body)
        {
            walker.Walk(statement);
        }
    }

    public override string ToString() => $"{Module.Name}.{Name}";
}
