using System.Runtime.InteropServices;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>What one call resolves to, computed once (in parallel) before the fixpoint.</summary>
internal sealed class CallInfo
{
    /// <summary>A call that only passes its arguments' taint through (shared by most calls: never modified).</summary>
    public static readonly CallInfo PassThrough = new() { PassesThrough = true };

    // Lists only for the calls that need them: there is one CallInfo per call of the project.
    private List<(TaintUnit Unit, bool Bound)>? _functions;
    private List<(Semantic.ClassInfo Class, TaintUnit? Init)>? _classes;
    private List<SinkKey>? _sinks;

    public ReadOnlySpan<(TaintUnit Unit, bool Bound)> Functions => CollectionsMarshal.AsSpan(_functions);

    /// <summary>Project classes instantiated, with their <c>__init__</c> when the project defines one.</summary>
    public ReadOnlySpan<(Semantic.ClassInfo Class, TaintUnit? Init)> Classes => CollectionsMarshal.AsSpan(_classes);

    /// <summary>Something outside the project (or nothing known) is called: taint flows from arguments to result.</summary>
    public bool PassesThrough { get; set; }

    public (SourceModel Model, string Name)? Source { get; set; }

    /// <summary>A sanitizer that clears or verifies the result, or a serializer (the program's own data).</summary>
    public SanitizerModel? Sanitizer { get; set; }

    public bool Clears { get; set; }

    public SanitizerModel? Guard { get; set; }

    public ReadOnlySpan<SinkKey> Sinks => CollectionsMarshal.AsSpan(_sinks);

    public void AddFunction(TaintUnit unit, bool bound) => (_functions ??= []).Add((unit, bound));

    public void AddClass(Semantic.ClassInfo cls, TaintUnit? init) => (_classes ??= []).Add((cls, init));

    public void AddSink(SinkKey sink) => (_sinks ??= []).Add(sink);
}
