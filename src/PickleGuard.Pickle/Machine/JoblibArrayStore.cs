using Microsoft.Win32.SafeHandles;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The joblib in-band arrays a conversion run of the machine read, by the wrapper object they replace (joblib's unpickler
/// swaps the wrapper for the array right after its BUILD). Only a conversion hands the machine a store; a scan skips the
/// array bytes and keeps nothing. The first <paramref name="memoryBudget"/> bytes of array data stay in memory; the rest
/// goes to a temporary file (deleted when the store is disposed), so a multi-gigabyte array never has to fit in memory.
/// </summary>
internal sealed class JoblibArrayStore(long memoryBudget) : IDisposable
{
    private readonly Dictionary<PickleObject, JoblibArray> _arrays = new(ReferenceEqualityComparer.Instance);
    private byte[]? _buffer;
    private long _inMemory;
    private SafeFileHandle? _spill;
    private long _spillLength;

    /// <summary>Why array data could not be kept (the temporary file failed); null while everything was kept.</summary>
    public string? Problem { get; private set; }

    /// <summary>Bytes written to the temporary file.</summary>
    public long SpilledBytes => _spillLength;

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

    /// <summary>
    /// The buffer to read the next segment (at most <paramref name="remaining"/> bytes) into; hand it to <see cref="Keep"/>
    /// once filled. Memory is kept only as the data arrives.
    /// </summary>
    public Span<byte> NextSegment(long remaining)
    {
        _buffer ??= new byte[JoblibArray.SegmentBytes];
        return _buffer.AsSpan(0, (int)Math.Min(remaining, JoblibArray.SegmentBytes));
    }

    /// <summary>Keeps the segment just read into <see cref="NextSegment"/>; false when the temporary file failed.</summary>
    public bool Keep(JoblibArray array, int length)
    {
        if (_inMemory + length <= memoryBudget)
        {
            _inMemory += length;
            array.Add(new JoblibArraySegment(_buffer!.AsSpan(0, length).ToArray(), 0, length));
            return true;
        }

        try
        {
            _spill ??= File.OpenHandle(Path.Combine(Path.GetTempPath(), "pickleguard-arrays-" + Guid.NewGuid().ToString("N")),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
            RandomAccess.Write(_spill, _buffer!.AsSpan(0, length), _spillLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problem ??= $"joblib array data past {memoryBudget} bytes is kept in a temporary file, which could not be written: {e.Message}";
            return false;
        }

        array.Add(new JoblibArraySegment(null, _spillLength, length));
        _spillLength += length;
        return true;
    }

    /// <summary>The bytes of <paramref name="segment"/>: its memory, or read back from the temporary file into <paramref name="scratch"/>.</summary>
    public ReadOnlySpan<byte> Read(JoblibArraySegment segment, byte[] scratch)
    {
        if (segment.Memory is { } memory)
        {
            return memory;
        }

        var target = scratch.AsSpan(0, segment.Length);
        int done = 0;
        while (done < target.Length)
        {
            int n = RandomAccess.Read(_spill!, target[done..], segment.FileOffset + done);
            if (n <= 0)
            {
                throw new IOException("the temporary file of joblib array data ended early");
            }

            done += n;
        }

        return target;
    }

    public void Dispose() => _spill?.Dispose();
}
