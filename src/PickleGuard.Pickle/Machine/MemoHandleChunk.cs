namespace PickleGuard.Pickle.Machine;

/// <summary>
/// Memo handles for one chunk of indexes, stored in the narrowest width that holds them (1, 2 or 4 bytes); a larger
/// handle widens the chunk in place. Exactly one of the three arrays is set, so a read is a null check and an index,
/// with no type check (which NativeAOT, without profile data, does not optimise away).
/// </summary>
internal sealed class MemoHandleChunk
{
    private byte[]? _narrow;
    private ushort[]? _medium;
    private int[]? _wide;

    public MemoHandleChunk(int size, int width)
    {
        switch (width)
        {
            case sizeof(byte):
                _narrow = new byte[size];
                break;
            case sizeof(ushort):
                _medium = new ushort[size];
                break;
            default:
                _wide = new int[size];
                break;
        }
    }

    public int Width => _narrow is not null ? sizeof(byte) : _medium is not null ? sizeof(ushort) : sizeof(int);

    public int Read(int slot)
    {
        if (_narrow is { } narrow)
        {
            return narrow[slot];
        }

        return _medium is { } medium ? medium[slot] : _wide![slot];
    }

    /// <summary>Stores a handle; returns true when the chunk had to be widened for it.</summary>
    public bool Write(int slot, int handle)
    {
        if (_narrow is { } narrow && handle <= byte.MaxValue)
        {
            narrow[slot] = (byte)handle;
            return false;
        }

        if (_medium is { } medium && handle <= ushort.MaxValue)
        {
            medium[slot] = (ushort)handle;
            return false;
        }

        if (_wide is { } wide)
        {
            wide[slot] = handle;
            return false;
        }

        Widen(handle <= ushort.MaxValue ? sizeof(ushort) : sizeof(int));
        Write(slot, handle);
        return true;
    }

    private void Widen(int width)
    {
        int size = _narrow?.Length ?? _medium!.Length;
        var wider = new MemoHandleChunk(size, width);
        for (int slot = 0; slot < size; slot++)
        {
            wider.Write(slot, Read(slot));
        }

        (_narrow, _medium, _wide) = (null, wider._medium, wider._wide);
    }
}
