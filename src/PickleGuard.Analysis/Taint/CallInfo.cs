using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>What one call resolves to, computed once (in parallel) before the fixpoint.</summary>
internal sealed class CallInfo
{
    /// <summary>A call that only passes its arguments' taint through (shared by most calls: never modified).</summary>
    public static readonly CallInfo PassThrough = new() { PassesThrough = true };

    // Arrays only for the calls that need them, sized to what they hold (most hold one): there is a CallInfo for
    // every call of the project that is more than a pass-through.
    private (TaintUnit Unit, bool Bound)[]? _functions;
    private (Semantic.ClassInfo Class, TaintUnit? Init)[]? _classes;
    private SinkKey[]? _sinks;
    private int _functionCount;
    private int _classCount;
    private int _sinkCount;

    public ReadOnlySpan<(TaintUnit Unit, bool Bound)> Functions => _functions.AsSpan(0, _functionCount);

    /// <summary>Project classes instantiated, with their <c>__init__</c> when the project defines one.</summary>
    public ReadOnlySpan<(Semantic.ClassInfo Class, TaintUnit? Init)> Classes => _classes.AsSpan(0, _classCount);

    /// <summary>Something outside the project (or nothing known) is called: taint flows from arguments to result.</summary>
    public bool PassesThrough { get; set; }

    public (SourceModel Model, string Name)? Source { get; set; }

    /// <summary>
    /// A propagator whose result reads the file at the path it is given (<c>open(path)</c>, <c>p.read_bytes()</c>),
    /// with the name the report shows for it.
    /// </summary>
    public (PropagatorModel Model, string Name)? Opener { get; set; }

    /// <summary>A propagator whose result is its input itself, objects included (<c>typing.cast(T, value)</c>).</summary>
    public PropagatorModel? Identity { get; set; }

    /// <summary>
    /// A propagator whose result is as trusted as one argument and the receiver: the other arguments only choose what
    /// comes back (<c>con.execute(sql, parameters)</c>: bound parameters pick stored rows, the query text can splice).
    /// </summary>
    public PropagatorModel? FromOneArgument { get; set; }

    /// <summary>A propagator that writes one argument into the file another names (<c>shutil.copyfileobj(src, handle)</c>).</summary>
    public PropagatorModel? Copier { get; set; }

    /// <summary>A sanitizer that clears or verifies the result, or a serializer (the program's own data).</summary>
    public SanitizerModel? Sanitizer { get; set; }

    public bool Clears { get; set; }

    public SanitizerModel? Guard { get; set; }

    /// <summary>The call always raises or ends the process: the code after it is unreachable.</summary>
    public bool NeverReturns { get; set; }

    /// <summary>A project function this library call is given to call with its other arguments (<c>Thread(target=f, args=...)</c>).</summary>
    public InvokedCallable? Invoked { get; set; }

    public ReadOnlySpan<SinkKey> Sinks => _sinks.AsSpan(0, _sinkCount);

    /// <summary>Leading positional arguments a <c>functools.partial</c> bound before this call's own (<see cref="Resolution.FunctionValue.BoundPositionals"/>).</summary>
    public int BoundPositionals { get; set; }

    public void AddFunction(TaintUnit unit, bool bound) => Append(ref _functions, ref _functionCount, (unit, bound));

    public void AddClass(Semantic.ClassInfo cls, TaintUnit? init) => Append(ref _classes, ref _classCount, (cls, init));

    public void AddSink(SinkKey sink) => Append(ref _sinks, ref _sinkCount, sink);

    private static void Append<T>(ref T[]? items, ref int count, T item)
    {
        if (items is null || count == items.Length)
        {
            Array.Resize(ref items, Math.Max(1, count * 2));
        }
        items[count++] = item;
    }
}
