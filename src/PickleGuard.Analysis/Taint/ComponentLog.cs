using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What the analysis of one component (a function, or a recursive group) produced for the rest of the program:
/// source data stored into attributes and outer variables, sink hits, callers to analyse again, notes and steps.
/// Applied to the <see cref="TaintStore"/> once the component's level is done.
/// </summary>
internal sealed class ComponentLog
{
    public ComponentLog(int component) => Component = component;

    /// <summary>The component's position in callee-first order: logs of one level are applied in this order.</summary>
    public int Component { get; }

    public List<(GlobalKey Key, TaintValue Sources)> Writes { get; } = [];

    public List<SinkHit> Hits { get; } = [];

    /// <summary>Callers whose callee's summary changed (they run later in the same round).</summary>
    public List<TaintUnit> DirtyCallers { get; } = [];

    public List<InputError> Notes { get; } = [];

    public long Steps { get; set; }
}
