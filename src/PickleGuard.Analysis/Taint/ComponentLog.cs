using System.Runtime.InteropServices;
using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What the analysis of one component (a function, or a recursive group) produced for the rest of the program:
/// source data stored into attributes and outer variables, sink hits, callers to analyse again, notes and steps.
/// Applied to the <see cref="TaintStore"/> once the component's level is done. There is a log per component and
/// most stay empty, so each list is made on its first entry.
/// </summary>
internal sealed class ComponentLog
{
    private List<(GlobalKey Key, TaintValue Sources)>? _writes;
    private List<SinkHit>? _hits;
    private List<TaintUnit>? _dirtyCallers;
    private List<InputError>? _notes;

    public ComponentLog(int component) => Component = component;

    /// <summary>The component's position in callee-first order: logs of one level are applied in this order.</summary>
    public int Component { get; }

    public ReadOnlySpan<(GlobalKey Key, TaintValue Sources)> Writes => CollectionsMarshal.AsSpan(_writes);

    public ReadOnlySpan<SinkHit> Hits => CollectionsMarshal.AsSpan(_hits);

    /// <summary>Callers whose callee's summary changed (they run later in the same round).</summary>
    public ReadOnlySpan<TaintUnit> DirtyCallers => CollectionsMarshal.AsSpan(_dirtyCallers);

    public ReadOnlySpan<InputError> Notes => CollectionsMarshal.AsSpan(_notes);

    public long Steps { get; set; }

    public void AddWrite(GlobalKey key, TaintValue sources) => (_writes ??= []).Add((key, sources));

    public void AddHit(SinkHit hit) => (_hits ??= []).Add(hit);

    public void AddDirtyCallers(IEnumerable<TaintUnit> callers) => (_dirtyCallers ??= []).AddRange(callers);

    public void AddNote(InputError note) => (_notes ??= []).Add(note);
}
