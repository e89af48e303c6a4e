namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The unpickler's memo. Entries are handles (dense chunks for the sequential indexes picklers write, a dictionary for
/// huge ones: a LONG_BINPUT of 4e9 must not allocate 4e9 slots). Chunks of 16 K entries are allocated only where an
/// index lands, so growing the memo never copies it and a single far PUT costs one chunk. A chunk stores its handles
/// in the narrowest width that holds them: one byte while they are fixed values, elided kinds and the first 236 kept
/// values, two bytes up to 65,535, four bytes beyond (the chunk is widened in place when a larger handle arrives).
/// In scan mode only values that can matter for security are kept: globals, call results, and short name-like
/// strings (interned) that may become STACK_GLOBAL operands. Everything else is stored as an elided value of the
/// same kind, so memory stays a few bytes per memo entry however large the pickle. With <c>retainAll</c> (decompiler,
/// conversion) every value is kept.
/// <para>
/// Exact up to a budget, conservative beyond it (scan mode only): once <paramref name="exactEntries"/> entries exist,
/// no new chunk is allocated. A new index outside the existing chunks keeps its value exactly only when it is a
/// global or a call result (a bounded map, <see cref="MaxKeptPastBudget"/>); anything else is only recorded as
/// defined (<see cref="MemoRunSet"/>) and comes back as <see cref="PickleValue.Unknown"/>, whose kind is not known
/// either. When the map or the run set overflows, <see cref="Degraded"/> is set: values that would have been kept are
/// forgotten too, and every index counts as defined, so a GET never breaks the stream because of what was forgotten.
/// </para>
/// </summary>
internal sealed class MemoTable(bool retainAll, long exactEntries)
{
    /// <summary>Globals and call results kept exactly past the budget before they are forgotten too.</summary>
    public const int MaxKeptPastBudget = 1 << 18;

    private const int DenseLimit = 1 << 26;
    private const int MaxKeptNameLength = 256;
    private const int MaxKeptPayload = 4096;
    private const int MaxInternedStrings = 1 << 20;

    // Handles 1..FirstValueHandle-1 are fixed values; handle 0 means "absent".
    private const int NoneHandle = 1;
    private const int TrueHandle = 2;
    private const int FalseHandle = 3;
    private const int FirstElidedHandle = 4;
    private const int FirstValueHandle = FirstElidedHandle + (int)PickleValueKind.Unknown + 1; // Unknown is the last kind

    private readonly List<PickleValue> _values = [];
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private const int ChunkBits = 14;
    private const int ChunkSize = 1 << ChunkBits;

    private MemoHandleChunk?[] _chunks = new MemoHandleChunk?[16];

    // New chunks start as wide as the last chunk had to become: a pickle whose handles outgrew one byte keeps doing so.
    private int _newChunkWidth = sizeof(byte);
    private Dictionary<long, int>? _sparse;

    // Past the budget: globals and call results at new indexes, and the indexes whose values were forgotten.
    private Dictionary<long, int>? _keptPastBudget;
    private MemoRunSet? _forgotten;

    public long Count { get; private set; }

    /// <summary>True once the memo holds its budget of exact entries; later new entries may be forgotten.</summary>
    public bool PastBudget { get; private set; }

    /// <summary>True when even the past-budget bookkeeping overflowed (see the class remarks).</summary>
    public bool Degraded { get; private set; }

    public bool RetainsAll => retainAll;

    public bool TryGet(long index, out PickleValue value)
    {
        int handle = 0;
        if ((ulong)index < DenseLimit)
        {
            var chunks = _chunks;
            long chunk = index >> ChunkBits;
            if (chunk < chunks.Length && chunks[chunk] is { } entries)
            {
                handle = entries.Read((int)(index & (ChunkSize - 1)));
            }
        }
        else
        {
            _sparse?.TryGetValue(index, out handle);
        }

        if (handle == 0 && PastBudget && !TryGetPastBudget(index, out handle))
        {
            // The budget may be reached before anything was forgotten: then no run set exists yet.
            bool forgotten = _forgotten?.Contains(index) == true;
            value = forgotten ? PickleValue.Unknown : default;
            return forgotten;
        }

        value = handle switch
        {
            0 => default,
            NoneHandle => PickleValue.None,
            TrueHandle => PickleValue.FromBool(true),
            FalseHandle => PickleValue.FromBool(false),
            _ when handle < FirstValueHandle => PickleValue.Elided((PickleValueKind)(handle - FirstElidedHandle)),
            _ => _values[handle - FirstValueHandle],
        };
        return handle != 0;
    }

    public void Set(long index, PickleValue value)
    {
        if ((ulong)index < DenseLimit)
        {
            var entries = PastBudget ? ExistingChunk(index) : DenseChunk(index);
            if (entries is not null)
            {
                int slot = (int)(index & (ChunkSize - 1));
                if (entries.Read(slot) == 0)
                {
                    CountNewEntry();
                }

                if (entries.Write(slot, Handle(value)))
                {
                    _newChunkWidth = Math.Max(_newChunkWidth, entries.Width);
                }
                return;
            }
        }
        else if (!PastBudget || _sparse?.ContainsKey(index) == true)
        {
            _sparse ??= [];
            int handle = Handle(value);
            if (_sparse.TryAdd(index, handle))
            {
                CountNewEntry();
            }
            else
            {
                _sparse[index] = handle;
            }
            return;
        }

        SetPastBudget(index, value);
    }

    private void CountNewEntry()
    {
        if (++Count >= exactEntries && !retainAll)
        {
            PastBudget = true;
        }
    }

    private bool TryGetPastBudget(long index, out int handle)
    {
        handle = 0;
        return _keptPastBudget is { } kept && kept.TryGetValue(index, out handle);
    }

    /// <summary>A new index once the budget is reached: keep globals and call results, only mark the rest as defined.</summary>
    private void SetPastBudget(long index, PickleValue value)
    {
        _forgotten ??= new MemoRunSet();
        _keptPastBudget ??= [];
        bool keep = value.Kind is PickleValueKind.Global or PickleValueKind.Object;
        if (!keep && _keptPastBudget.Count == 0 && _forgotten.TryAppend(index))
        {
            // The usual case (MEMOIZE of plain data): the next index after the last run, so certainly a new entry.
            Count++;
            return;
        }

        bool known = _keptPastBudget.ContainsKey(index) || (_forgotten.Saturated ? index < Count : _forgotten.Contains(index));
        if (!known)
        {
            Count++;
        }

        if (keep)
        {
            if (_keptPastBudget.Count < MaxKeptPastBudget || _keptPastBudget.ContainsKey(index))
            {
                _keptPastBudget[index] = Handle(value);
                return;
            }

            Degraded = true;
        }

        _keptPastBudget.Remove(index);
        if (!_forgotten.Add(index))
        {
            Degraded = true;
        }
    }

    private MemoHandleChunk? ExistingChunk(long index)
    {
        long chunk = index >> ChunkBits;
        return chunk < _chunks.Length ? _chunks[chunk] : null;
    }

    private MemoHandleChunk DenseChunk(long index)
    {
        int chunk = (int)(index >> ChunkBits);
        if (chunk >= _chunks.Length)
        {
            int size = _chunks.Length;
            while (size <= chunk)
            {
                size *= 2;
            }

            Array.Resize(ref _chunks, size);
        }

        return _chunks[chunk] ??= new MemoHandleChunk(ChunkSize, _newChunkWidth);
    }

    private int Handle(PickleValue value)
    {
        switch (value.Kind)
        {
            case PickleValueKind.None:
                return NoneHandle;
            case PickleValueKind.Bool:
                return value.AsBool ? TrueHandle : FalseHandle;
        }

        if (retainAll || value.Kind == PickleValueKind.Global)
        {
            return Keep(value);
        }

        if (value.AsObject is { } obj)
        {
            return Keep(PickleValue.FromObject(obj.WithoutLargePayloads(MaxKeptPayload)));
        }

        if (value.IsCompleteStr)
        {
            // Look the text up first: large pickles memoize the same few names over and over, and only a miss needs the
            // name-likeness check.
            var text = value.AsString!;
            if (_strings.TryGetValue(text, out int interned))
            {
                return interned;
            }

            if (_strings.Count < MaxInternedStrings && IsNameLike(text))
            {
                int handle = Keep(value);
                _strings[text] = handle;
                return handle;
            }
        }

        return FirstElidedHandle + (int)value.Kind;
    }

    private int Keep(PickleValue value)
    {
        _values.Add(value);
        return FirstValueHandle + _values.Count - 1;
    }

    /// <summary>Strings that could name a module or attribute (what STACK_GLOBAL needs exactly).</summary>
    private static bool IsNameLike(string text)
    {
        if (text.Length == 0 || text.Length > MaxKeptNameLength)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '<' or '>' or ':'))
            {
                return false;
            }
        }

        return true;
    }
}
