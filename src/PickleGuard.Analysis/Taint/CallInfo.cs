using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>What one call resolves to, computed once (in parallel) before the fixpoint.</summary>
internal sealed class CallInfo
{
    /// <summary>A call that only passes its arguments' taint through (shared by most calls: never modified).</summary>
    public static readonly CallInfo PassThrough = new() { PassesThrough = true, IsShared = true };

    /// <summary>
    /// The info shared by the calls of <paramref name="unit"/> alone (<see cref="TaintUnit.CalledAlone"/>): never
    /// modified.
    /// </summary>
    public static CallInfo Alone(TaintUnit unit, bool bound)
    {
        var info = ToShare(false);
        info.AddFunction(unit, bound);
        return info;
    }

    /// <summary>
    /// An info to fill once and then share (<see cref="IsShared"/>): besides <see cref="Alone"/>, the one of the calls of
    /// a project class alone and the one of the calls of a modelled API alone (ProjectIndex.Calls.cs).
    /// </summary>
    public static CallInfo ToShare(bool passesThrough) => new() { IsShared = true, PassesThrough = passesThrough };

    /// <summary>Shared by many calls (<see cref="PassThrough"/>, <see cref="Alone"/>, <see cref="ToShare"/>): copy it (<see cref="Unshared"/>) to change it.</summary>
    public bool IsShared { get; private init; }

    /// <summary>This info, or a copy of a shared one to change.</summary>
    public CallInfo Unshared()
    {
        if (!IsShared)
        {
            return this;
        }
        var copy = new CallInfo { PassesThrough = PassesThrough, _facts = _facts?.Copy() };
        foreach (var (unit, bound) in Functions)
        {
            copy.AddFunction(unit, bound);
        }
        foreach (var (cls, init) in Classes)
        {
            copy.AddClass(cls, init);
        }
        return copy;
    }

    // Arrays only for the calls that need them, sized to what they hold (most hold one): there is a CallInfo for
    // every call of the project that is more than a pass-through or a call of one project function.
    private (TaintUnit Unit, bool Bound)[]? _functions;
    private (Semantic.ClassInfo Class, TaintUnit? Init)[]? _classes;
    private int _functionCount;
    private int _classCount;

    /// <summary>What few calls have (a modelled API, a sink, a function handed on), made on the first write.</summary>
    private Facts? _facts;

    private Facts Written => _facts ??= new Facts();

    public ReadOnlySpan<(TaintUnit Unit, bool Bound)> Functions => _functions.AsSpan(0, _functionCount);

    /// <summary>Project classes instantiated, with their <c>__init__</c> when the project defines one.</summary>
    public ReadOnlySpan<(Semantic.ClassInfo Class, TaintUnit? Init)> Classes => _classes.AsSpan(0, _classCount);

    /// <summary>Something outside the project (or nothing known) is called: taint flows from arguments to result.</summary>
    public bool PassesThrough { get; set; }

    public (SourceModel Model, string Name)? Source
    {
        get => _facts?.Source;
        set => Written.Source = value;
    }

    /// <summary>
    /// A propagator whose result reads the file at the path it is given (<c>open(path)</c>, <c>p.read_bytes()</c>),
    /// with the name the report shows for it.
    /// </summary>
    public (PropagatorModel Model, string Name)? Opener
    {
        get => _facts?.Opener;
        set => Written.Opener = value;
    }

    /// <summary>A propagator whose result is its input itself, objects included (<c>typing.cast(T, value)</c>).</summary>
    public PropagatorModel? Identity
    {
        get => _facts?.Identity;
        set => Written.Identity = value;
    }

    /// <summary>
    /// A propagator whose result is as trusted as one argument and the receiver: the other arguments only choose what
    /// comes back (<c>con.execute(sql, parameters)</c>: bound parameters pick stored rows, the query text can splice).
    /// </summary>
    public PropagatorModel? FromOneArgument
    {
        get => _facts?.FromOneArgument;
        set => Written.FromOneArgument = value;
    }

    /// <summary>A propagator that writes one argument into the file another names (<c>shutil.copyfileobj(src, handle)</c>).</summary>
    public PropagatorModel? Copier
    {
        get => _facts?.Copier;
        set => Written.Copier = value;
    }

    /// <summary>
    /// A source whose call runs a command (<see cref="SourceModel.RunsCommand"/>), with its name: a source only when the
    /// command downloads into a file (<see cref="Detection.DownloadCommand"/>).
    /// </summary>
    public (SourceModel Model, string Name)? CommandRunner
    {
        get => _facts?.CommandRunner;
        set => Written.CommandRunner = value;
    }

    /// <summary>A sanitizer that clears or verifies the result, or a serializer (the program's own data).</summary>
    public SanitizerModel? Sanitizer
    {
        get => _facts?.Sanitizer;
        set => Written.Sanitizer = value;
    }

    public bool Clears
    {
        get => _facts?.Clears ?? false;
        set => Written.Clears = value;
    }

    /// <summary>A check that authenticates the data in its arguments: where it holds (a guard), or once it returns (it asserts).</summary>
    public SanitizerModel? Guard
    {
        get => _facts?.Guard;
        set => Written.Guard = value;
    }

    /// <summary>The call always raises or ends the process: the code after it is unreachable.</summary>
    public bool NeverReturns
    {
        get => _facts?.NeverReturns ?? false;
        set => Written.NeverReturns = value;
    }

    /// <summary>
    /// Every callee is a method whose model says its arguments go elsewhere than its receiver (an ORM session's
    /// <c>add</c>): the receiver does not gain them, though the method's name is a container mutator's.
    /// </summary>
    public bool KeepsReceiver
    {
        get => _facts?.KeepsReceiver ?? false;
        set => Written.KeepsReceiver = value;
    }

    /// <summary>A project function this library call is given to call with its other arguments (<c>Thread(target=f, args=...)</c>).</summary>
    public InvokedCallable? Invoked
    {
        get => _facts?.Invoked;
        set => Written.Invoked = value;
    }

    /// <summary>
    /// Sources handed as callables to this call's project callees (<c>clients.get(url, redis.StrictRedis.from_url,
    /// url)</c>): what a callee returns from the parameter such an argument binds is what calling the source makes.
    /// </summary>
    public HandedSource[]? HandedSources
    {
        get => _facts?.HandedSources;
        set => Written.HandedSources = value;
    }

    /// <summary>
    /// Project methods of the objects this call's arguments hold that the project callees call on the parameters those
    /// arguments bind (<c>_recv_value(server, ...)</c> with <c>server</c> a <c>_Host</c>, which the callee reads by
    /// <c>server.recv(rlen)</c>): what such a method returns is what the callee's call of it gives (ProjectIndex.ObjectMethods.cs).
    /// </summary>
    public ObjectMethod[]? ObjectMethods
    {
        get => _facts?.ObjectMethods;
        set => Written.ObjectMethods = value;
    }

    /// <summary>The project's hooks a decoding library call calls with what it decodes (<c>json.loads(s, object_hook=f)</c>).</summary>
    public CalledHooks? Hooks
    {
        get => _facts?.Hooks;
        set => Written.Hooks = value;
    }

    public ReadOnlySpan<SinkKey> Sinks => _facts is null ? default : _facts.Sinks.AsSpan(0, _facts.SinkCount);

    /// <summary>Leading positional arguments a <c>functools.partial</c> bound before this call's own (<see cref="Resolution.FunctionValue.BoundPositionals"/>).</summary>
    public int BoundPositionals
    {
        get => _facts?.BoundPositionals ?? 0;
        set => Written.BoundPositionals = value;
    }

    public void AddFunction(TaintUnit unit, bool bound) => GrowingArrays.Append(ref _functions, ref _functionCount, (unit, bound));

    /// <summary>Calls <paramref name="specialised"/> where it called <paramref name="unit"/> (an unshared info: <see cref="Unshared"/>).</summary>
    public void ReplaceFunction(TaintUnit unit, TaintUnit specialised)
    {
        for (var i = 0; i < _functionCount; i++)
        {
            if (_functions![i].Unit == unit)
            {
                _functions[i].Unit = specialised;
            }
        }
    }

    /// <summary>No longer calls <paramref name="unit"/> (an unshared info: <see cref="Unshared"/>), keeping the order of the others.</summary>
    public void RemoveFunction(TaintUnit unit)
    {
        var kept = 0;
        for (var i = 0; i < _functionCount; i++)
        {
            if (_functions![i].Unit != unit)
            {
                _functions[kept++] = _functions[i];
            }
        }
        Array.Clear(_functions!, kept, _functionCount - kept);
        _functionCount = kept;
    }

    public void AddClass(Semantic.ClassInfo cls, TaintUnit? init) => GrowingArrays.Append(ref _classes, ref _classCount, (cls, init));

    public void AddSink(SinkKey sink)
    {
        var facts = Written;
        GrowingArrays.Append(ref facts.Sinks, ref facts.SinkCount, sink);
    }

    /// <summary>The rest of a call's resolution: most calls have none of it.</summary>
    private sealed class Facts
    {
        public (SourceModel Model, string Name)? Source;
        public (PropagatorModel Model, string Name)? Opener;
        public PropagatorModel? Identity;
        public PropagatorModel? FromOneArgument;
        public PropagatorModel? Copier;
        public (SourceModel Model, string Name)? CommandRunner;
        public SanitizerModel? Sanitizer;
        public bool Clears;
        public SanitizerModel? Guard;
        public bool NeverReturns;
        public bool KeepsReceiver;
        public InvokedCallable? Invoked;
        public HandedSource[]? HandedSources;
        public ObjectMethod[]? ObjectMethods;
        public CalledHooks? Hooks;
        public SinkKey[]? Sinks;
        public int SinkCount;
        public int BoundPositionals;

        /// <summary>A copy whose sinks can grow without writing into this one's array.</summary>
        public Facts Copy()
        {
            var copy = (Facts)MemberwiseClone();
            copy.Sinks = Sinks?[..SinkCount];
            return copy;
        }
    }
}
