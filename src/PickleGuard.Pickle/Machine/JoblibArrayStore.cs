namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The joblib in-band arrays a conversion run of the machine read, by the wrapper object they replace (joblib's unpickler
/// swaps the wrapper for the array right after its BUILD). Only a conversion hands the machine a store; a scan skips the
/// array bytes and keeps nothing.
/// </summary>
internal sealed class JoblibArrayStore
{
    private readonly Dictionary<PickleObject, JoblibArray> _arrays = new(ReferenceEqualityComparer.Instance);

    public int Count => _arrays.Count;

    public JoblibArray? Find(PickleObject wrapper) => _arrays.GetValueOrDefault(wrapper);

    /// <summary>Starts the array read after a BUILD of <paramref name="wrapper"/>; a second BUILD of the same wrapper is counted.</summary>
    public JoblibArray Start(PickleObject wrapper, JoblibArrayHeader header, long at)
    {
        var array = new JoblibArray(header, at);
        if (_arrays.TryGetValue(wrapper, out var earlier))
        {
            array.Reads = earlier.Reads + 1;
        }

        _arrays[wrapper] = array;
        return array;
    }
}
