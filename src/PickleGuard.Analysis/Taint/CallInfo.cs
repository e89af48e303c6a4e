using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>What one call resolves to, computed once (in parallel) before the fixpoint.</summary>
internal sealed class CallInfo
{
    public List<(TaintUnit Unit, bool Bound)> Functions { get; } = [];

    /// <summary>Project classes instantiated, with their <c>__init__</c> when the project defines one.</summary>
    public List<(Semantic.ClassInfo Class, TaintUnit? Init)> Classes { get; } = [];

    /// <summary>Something outside the project (or nothing known) is called: taint flows from arguments to result.</summary>
    public bool PassesThrough { get; set; }

    public (SourceModel Model, string Name)? Source { get; set; }

    /// <summary>A sanitizer that clears or verifies the result, or a serializer (the program's own data).</summary>
    public SanitizerModel? Sanitizer { get; set; }

    public bool Clears { get; set; }

    public SanitizerModel? Guard { get; set; }

    public List<SinkKey> Sinks { get; } = [];
}
