using System.Runtime.InteropServices;
using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// What the analysis of one component (a function, or a recursive group) produced for the rest of the program:
/// source data stored into attributes and outer variables, sink hits, callers to analyse again, notes and steps.
/// Applied to the <see cref="TaintStore"/> once the component's level is done (in the components' callee-first order),
/// then cleared for a component of a later level. Most logs stay empty, so each list is made on its first entry.
/// </summary>
internal sealed class ComponentLog
{
    private List<(GlobalKey Key, TaintValue Sources)>? _writes;
    private List<SinkHit>? _hits;
    private List<TaintUnit>? _dirtyCallers;
    private List<InputError>? _notes;

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

    /// <summary>Empties the log for another component (its lists keep their room).</summary>
    public void Clear()
    {
        _writes?.Clear();
        _hits?.Clear();
        _dirtyCallers?.Clear();
        _notes?.Clear();
        Steps = 0;
    }
}
