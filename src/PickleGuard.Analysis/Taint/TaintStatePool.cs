namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The states of one function analysis and their variable tables, handed out for the analysis and all taken back when
/// the analyzer starts the next one (<see cref="ReuseAll"/>): a branch's copy of the state is then a state and a table
/// that a finished analysis used, not fresh memory (the copies were the largest allocation of the fixpoint after the
/// traces). Safe because no state outlives its analysis; one per analyzer, since an analysis may run another analyzer
/// inside it.
/// </summary>
internal sealed class TaintStatePool
{
    /// <summary>Every state made so far; the first <see cref="_statesInUse"/> are handed out.</summary>
    private readonly List<TaintState> _states = [];

    private int _statesInUse;

    /// <summary>Tables handed out since the last <see cref="ReuseAll"/>.</summary>
    private readonly List<VarTaint?[]> _tablesInUse = [];

    /// <summary>Tables free for reuse, by length (at most <see cref="TaintState.MaxNumbered"/>).</summary>
    private readonly List<VarTaint?[]>?[] _freeTables = new List<VarTaint?[]>?[TaintState.MaxNumbered + 1];

    /// <summary>Hash tables of variables handed out since the last <see cref="ReuseAll"/> (states without numbers: a module's).</summary>
    private readonly List<Dictionary<string, VarTaint>> _hashTablesInUse = [];

    private readonly Stack<Dictionary<string, VarTaint>> _freeHashTables = new();

    /// <summary>A state holding whatever it last held: the caller sets every field.</summary>
    public TaintState TakeState()
    {
        if (_statesInUse == _states.Count)
        {
            _states.Add(new TaintState());
        }
        return _states[_statesInUse++];
    }

    /// <summary>A table of <paramref name="length"/> entries holding whatever it last held: the caller fills or clears it.</summary>
    public VarTaint?[] TakeTable(int length)
    {
        VarTaint?[] table;
        if (_freeTables[length] is { Count: > 0 } free)
        {
            table = free[^1];
            free.RemoveAt(free.Count - 1);
        }
        else
        {
            table = new VarTaint?[length];
        }
        _tablesInUse.Add(table);
        return table;
    }

    /// <summary>An empty hash table of variables (cleared: it keeps the room a finished analysis grew it to).</summary>
    public Dictionary<string, VarTaint> TakeHashTable()
    {
        if (!_freeHashTables.TryPop(out var table))
        {
            table = new Dictionary<string, VarTaint>(StringComparer.Ordinal);
        }
        _hashTablesInUse.Add(table);
        return table;
    }

    /// <summary>Takes back every state and table handed out: the analysis that used them is over.</summary>
    public void ReuseAll()
    {
        foreach (var table in _hashTablesInUse)
        {
            table.Clear();
            _freeHashTables.Push(table);
        }
        _hashTablesInUse.Clear();
        _statesInUse = 0;
        foreach (var table in _tablesInUse)
        {
            (_freeTables[table.Length] ??= []).Add(table);
        }
        _tablesInUse.Clear();
    }
}
