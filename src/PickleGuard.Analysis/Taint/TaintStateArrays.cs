namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The variable tables of one function analysis's <see cref="TaintState"/>s, handed out for the analysis and all taken
/// back when the analyzer starts the next one (<see cref="ReuseAll"/>): a branch's copy of the state is then a table a
/// finished analysis used, not fresh memory (the copies were the largest array allocation of the fixpoint). Safe
/// because no state outlives its analysis; one per analyzer, since an analysis may run another analyzer inside it.
/// </summary>
internal sealed class TaintStateArrays
{
    /// <summary>Tables handed out since the last <see cref="ReuseAll"/>.</summary>
    private readonly List<VarTaint?[]> _inUse = [];

    /// <summary>Tables free for reuse, by length (at most <see cref="TaintState.MaxNumbered"/>).</summary>
    private readonly List<VarTaint?[]>?[] _free = new List<VarTaint?[]>?[TaintState.MaxNumbered + 1];

    /// <summary>A table of <paramref name="length"/> entries holding whatever it last held: the caller fills or clears it.</summary>
    public VarTaint?[] Take(int length)
    {
        VarTaint?[] table;
        if (_free[length] is { Count: > 0 } free)
        {
            table = free[^1];
            free.RemoveAt(free.Count - 1);
        }
        else
        {
            table = new VarTaint?[length];
        }
        _inUse.Add(table);
        return table;
    }

    /// <summary>Takes back every table handed out: the states that held them are no longer used.</summary>
    public void ReuseAll()
    {
        foreach (var table in _inUse)
        {
            (_free[table.Length] ??= []).Add(table);
        }
        _inUse.Clear();
    }
}
