namespace PickleGuard.Pickle.Machine;

/// <summary>
/// Memo indexes that were defined past the exact-memo budget but whose values were forgotten, as sorted disjoint runs
/// [start, end). Picklers write indexes in order (MEMOIZE always uses the next one), so a whole pickle is usually one
/// run and adding an index is a compare and an increment. Past <see cref="MaxRuns"/> runs the set stops recording and
/// reports itself <see cref="Saturated"/>: from then on every index counts as defined (see <see cref="MemoTable"/>).
/// </summary>
internal sealed class MemoRunSet
{
    public const int MaxRuns = 1 << 16;

    private readonly List<long> _starts = [];
    private readonly List<long> _ends = [];

    public bool Saturated { get; private set; }

    public bool Contains(long index)
    {
        if (Saturated)
        {
            return true;
        }

        int run = RunAtOrBefore(index);
        return run >= 0 && index < _ends[run];
    }

    /// <summary>
    /// Records <paramref name="index"/> when it extends the last run (or starts the first one), which is how picklers number
    /// entries; returns false, recording nothing, for any other index.
    /// </summary>
    public bool TryAppend(long index)
    {
        int last = _ends.Count - 1;
        if (Saturated || (last >= 0 && _ends[last] != index))
        {
            return false;
        }

        if (last < 0)
        {
            _starts.Add(index);
            _ends.Add(index + 1);
        }
        else
        {
            _ends[last] = index + 1;
        }

        return true;
    }

    /// <summary>Records an index; returns false when the set is (or just became) saturated and no longer records.</summary>
    public bool Add(long index)
    {
        if (Saturated)
        {
            return false;
        }

        int last = _ends.Count - 1;
        if (last >= 0 && _ends[last] == index)
        {
            _ends[last] = index + 1; // the usual case: the next sequential index
            return true;
        }

        int run = RunAtOrBefore(index);
        if (run >= 0 && index < _ends[run])
        {
            return true;
        }

        bool joinsPrevious = run >= 0 && _ends[run] == index;
        bool joinsNext = run + 1 < _starts.Count && _starts[run + 1] == index + 1;
        if (joinsPrevious && joinsNext)
        {
            _ends[run] = _ends[run + 1];
            _starts.RemoveAt(run + 1);
            _ends.RemoveAt(run + 1);
        }
        else if (joinsPrevious)
        {
            _ends[run] = index + 1;
        }
        else if (joinsNext)
        {
            _starts[run + 1] = index;
        }
        else if (_starts.Count >= MaxRuns)
        {
            Saturated = true;
            _starts.Clear();
            _ends.Clear();
            return false;
        }
        else
        {
            _starts.Insert(run + 1, index);
            _ends.Insert(run + 1, index + 1);
        }

        return true;
    }

    /// <summary>The last run starting at or before <paramref name="index"/>, or -1.</summary>
    private int RunAtOrBefore(long index)
    {
        int found = _starts.BinarySearch(index);
        return found >= 0 ? found : ~found - 1;
    }
}
