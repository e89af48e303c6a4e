namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// Some calls of one module in the order added (an index's entry: the calls naming or passing a name), kept as their
/// positions in <see cref="ModuleModel.Calls"/>: 4 bytes a call, where a list of call sites held a 24-byte copy of each.
/// </summary>
public sealed class CallSiteList : System.Collections.Generic.IReadOnlyList<CallSite>
{
    private readonly ModuleModel _module;
    private int[] _positions = new int[1]; // most names are called or passed once in a module

    internal CallSiteList(ModuleModel module) => _module = module;

    public int Count { get; private set; }

    public CallSite this[int index] =>
        (uint)index < (uint)Count ? _module.CallAt(_positions[index]) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Adds the module's call at <paramref name="position"/>, unless it is the last one added (<c>f(x, x)</c> passes x twice).</summary>
    internal void AddOnce(int position)
    {
        if (Count > 0 && _positions[Count - 1] == position)
        {
            return;
        }
        if (Count == _positions.Length)
        {
            Array.Resize(ref _positions, Count * 2);
        }
        _positions[Count++] = position;
    }

    public IEnumerator<CallSite> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
