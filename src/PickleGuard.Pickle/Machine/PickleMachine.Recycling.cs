namespace PickleGuard.Pickle.Machine;

/// <summary>
/// Scan mode recycles containers. A large pickle is mostly a list whose items are small tuples and dicts. Past
/// <see cref="PickleLimits.MaxRetainedItems"/> the list only counts its items, so each of those containers is dropped
/// as soon as APPENDS has counted it. A container that was never shared (see <see cref="PickleContainer.IsShared"/>)
/// is then referenced by nothing, so the next TUPLE or EMPTY_DICT reuses it instead of allocating. In scan mode
/// the memo keeps no container (only its kind), so a recycled container cannot come back through GET. The decompiler
/// and conversion modes keep every value and never recycle.
/// </summary>
public sealed partial class PickleMachine
{
    private const int MaxFreeContainers = 4096;

    /// <summary>Made on the first container dropped: most runs (small pickles, discovery probes) never drop one.</summary>
    private PickleContainer[]? _freeContainers;
    private int _freeCount;

    private bool RecyclesContainers => !_recordEvents && !_memo.RetainsAll;

    private PickleContainer NewContainer(PickleValueKind kind)
    {
        if (_freeCount == 0)
        {
            return new PickleContainer(kind);
        }

        var container = _freeContainers![--_freeCount];
        container.Recycle(kind);
        return container;
    }

    /// <summary>Marks a value that is stored outside the stack (call arguments, state, results, a DUP copy).</summary>
    private static void Share(PickleValue value)
    {
        if (value.Reference is PickleContainer container)
        {
            container.IsShared = true;
        }
    }

    /// <summary>Takes back the never-shared containers among values that were just counted and dropped.</summary>
    private void RecycleDropped(ReadOnlySpan<PickleValue> dropped)
    {
        if (!RecyclesContainers)
        {
            return;
        }

        foreach (var value in dropped)
        {
            if (value.Reference is PickleContainer { IsShared: false } container && _freeCount < MaxFreeContainers)
            {
                (_freeContainers ??= new PickleContainer[MaxFreeContainers])[_freeCount++] = container;
            }
        }
    }
}
