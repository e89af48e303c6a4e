using PickleGuard.Pickle.Opcodes;
using PickleGuard.Pickle.Reading;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Rebuilds the value of a pickle made only of plain data (no global, no call, no persistent id, no out-of-band buffer)
/// into a <see cref="DataArena"/>, with the stack and memo semantics of the symbolic machine. It runs only on a stream
/// the scanner has already read completely without a finding; any opcode outside plain data, or anything unexpected,
/// makes it give up (<see cref="Build"/> returns false) and the converter uses the machine's value tree instead.
/// </summary>
internal sealed class ArenaBuilder
{
    private readonly DataArena _arena = new();
    private readonly ArenaMemo _memo = new();
    private int[] _stack = new int[256];
    private int _sp;
    private int[] _marks = new int[32];
    private int _markCount;

    public DataArena Arena => _arena;

    /// <summary>The value of the pickle, after <see cref="Build"/> returned true.</summary>
    public int Root { get; private set; }

    /// <summary>Reads one pickle from <paramref name="stream"/>; false when it is not plain data (or on cancellation).</summary>
    public bool Build(Stream stream, CancellationToken cancel = default)
    {
        var limits = PickleStreamCollector.ConversionLimits;
        var reader = new PickleInstructionReader(stream, limits.MaxRetainedBytes, limits.MaxLineBytes, limits.MaxTotalBytes);
        var ins = default(PickleInstruction);
        long opcodes = 0;
        while (reader.Next(ref ins) == ReadStatus.Ok)
        {
            if ((++opcodes & 0xFFFF) == 0 && cancel.IsCancellationRequested)
            {
                return false;
            }

            if (ins.Opcode == PickleOpcode.Stop)
            {
                if (_sp != 1)
                {
                    return false;
                }

                Root = _stack[0];
                return true;
            }

            if (!Execute(ref ins))
            {
                return false;
            }
        }

        return false;
    }

    private bool Execute(ref PickleInstruction ins)
    {
        switch (ins.Opcode)
        {
            case PickleOpcode.BinInt:
            case PickleOpcode.BinInt1:
            case PickleOpcode.BinInt2:
                return Push(_arena.AddInt(ins.Integer));
            case PickleOpcode.Int:
            case PickleOpcode.Long:
            case PickleOpcode.Long1:
            case PickleOpcode.Long4:
                return ins.IsBigInteger ? BigInt(ins.Text!)
                    : ins.IsBoolean ? Push(ins.Integer != 0 ? DataArena.TrueRef : DataArena.FalseRef)
                    : Push(_arena.AddInt(ins.Integer));
            case PickleOpcode.BinFloat:
            case PickleOpcode.Float:
                return Push(_arena.AddFloat(ins.Float));
            case PickleOpcode.None:
                return Push(DataArena.NoneRef);
            case PickleOpcode.NewTrue:
                return Push(DataArena.TrueRef);
            case PickleOpcode.NewFalse:
                return Push(DataArena.FalseRef);
            case PickleOpcode.String:
            case PickleOpcode.BinString:
            case PickleOpcode.ShortBinString:
            case PickleOpcode.Unicode:
            case PickleOpcode.BinUnicode:
            case PickleOpcode.ShortBinUnicode:
            case PickleOpcode.BinUnicode8:
                return !ins.IsPayloadTruncated && Push(_arena.AddStr(ins.Text!));
            case PickleOpcode.BinBytes:
            case PickleOpcode.ShortBinBytes:
            case PickleOpcode.BinBytes8:
            case PickleOpcode.ByteArray8:
                return !ins.IsPayloadTruncated
                    && Push(_arena.AddBlob(ins.Opcode == PickleOpcode.ByteArray8 ? ArenaKind.ByteArray : ArenaKind.Bytes, ins.Data, ins.Data));
            case PickleOpcode.EmptyList:
                return Push(_arena.AddContainer(ArenaKind.List, []));
            case PickleOpcode.EmptyDict:
                return Push(_arena.AddContainer(ArenaKind.Dict, []));
            case PickleOpcode.EmptyTuple:
                return Push(_arena.AddContainer(ArenaKind.Tuple, []));
            case PickleOpcode.EmptySet:
                return Push(_arena.AddContainer(ArenaKind.Set, []));
            case PickleOpcode.Tuple1:
            case PickleOpcode.Tuple2:
            case PickleOpcode.Tuple3:
                return Collect(ArenaKind.Tuple, _sp - (ins.Opcode - PickleOpcode.Tuple1 + 1));
            case PickleOpcode.Mark:
                return PushMark();
            case PickleOpcode.Tuple:
                return Collect(ArenaKind.Tuple, PopMark());
            case PickleOpcode.List:
                return Collect(ArenaKind.List, PopMark());
            case PickleOpcode.FrozenSet:
                return Collect(ArenaKind.FrozenSet, PopMark());
            case PickleOpcode.Dict:
                return Collect(ArenaKind.Dict, PopMark());
            case PickleOpcode.Append:
                return AddItems(ArenaKind.List, _sp - 1);
            case PickleOpcode.Appends:
                return AddItems(ArenaKind.List, PopMark());
            case PickleOpcode.SetItem:
                return AddItems(ArenaKind.Dict, _sp - 2);
            case PickleOpcode.SetItems:
                return AddItems(ArenaKind.Dict, PopMark());
            case PickleOpcode.AddItems:
                return AddItems(ArenaKind.Set, PopMark());
            case PickleOpcode.Pop:
                return Pop();
            case PickleOpcode.PopMark:
                return PopMarkAndItems();
            case PickleOpcode.Dup:
                return _sp > Fence && Push(_stack[_sp - 1]);
            case PickleOpcode.Get:
            case PickleOpcode.BinGet:
            case PickleOpcode.LongBinGet:
                return _memo.TryGet(ins.Integer, out int memoized) && Push(memoized);
            case PickleOpcode.Put:
            case PickleOpcode.BinPut:
            case PickleOpcode.LongBinPut:
                return MemoPut(ins.Integer);
            case PickleOpcode.Memoize:
                return MemoPut(_memo.Count);
            case PickleOpcode.Proto:
            case PickleOpcode.Frame:
                return true;
            default:
                // Globals, calls, BUILD, persistent ids, extensions and out-of-band buffers are not plain data.
                return false;
        }
    }

    private int Fence => _markCount > 0 ? _marks[_markCount - 1] : 0;

    private bool Push(int reference)
    {
        if (_sp == _stack.Length)
        {
            Array.Resize(ref _stack, _stack.Length * 2);
        }

        _stack[_sp++] = reference;
        return true;
    }

    private bool BigInt(string digits)
    {
        // The reader writes "<N digits>" when it did not keep the digits: the machine's tree path reports that.
        if (digits.Length == 0 || digits[0] == '<')
        {
            return false;
        }

        Span<byte> ascii = digits.Length <= 256 ? stackalloc byte[digits.Length] : new byte[digits.Length];
        for (int i = 0; i < digits.Length; i++)
        {
            ascii[i] = (byte)digits[i];
        }

        return Push(_arena.AddBlob(ArenaKind.BigInt, ascii));
    }

    private bool PushMark()
    {
        if (_markCount == _marks.Length)
        {
            Array.Resize(ref _marks, _marks.Length * 2);
        }

        _marks[_markCount++] = _sp;
        return true;
    }

    /// <summary>Pops the top mark: the stack index where the marked items start, or -1 without a mark.</summary>
    private int PopMark() => _markCount == 0 ? -1 : _marks[--_markCount];

    /// <summary>Replaces the items from <paramref name="start"/> to the top with one container holding them.</summary>
    private bool Collect(ArenaKind kind, int start)
    {
        if (start < Fence || (kind == ArenaKind.Dict && (_sp - start) % 2 != 0))
        {
            return false;
        }

        int container = _arena.AddContainer(kind, _stack.AsSpan(start, _sp - start));
        _sp = start;
        return Push(container);
    }

    /// <summary>Adds the items from <paramref name="start"/> to the top to the container just below them.</summary>
    private bool AddItems(ArenaKind expected, int start)
    {
        int target = start - 1;
        if (start < 0 || target < Fence || (expected == ArenaKind.Dict && (_sp - start) % 2 != 0)
            || DataArena.IsInline(_stack[target]) || _arena.Kind(_stack[target]) != expected)
        {
            return false;
        }

        _arena.Append(_stack[target], _stack.AsSpan(start, _sp - start));
        _sp = start;
        return true;
    }

    private bool Pop()
    {
        // As CPython: POP removes the mark instead when the mark is on top of the stack.
        if (_markCount > 0 && _marks[_markCount - 1] == _sp)
        {
            _markCount--;
            return true;
        }

        if (_sp <= Fence)
        {
            return false;
        }

        _sp--;
        return true;
    }

    private bool PopMarkAndItems()
    {
        int start = PopMark();
        if (start < 0)
        {
            return false;
        }

        _sp = start;
        return true;
    }

    private bool MemoPut(long index)
    {
        if (_sp <= Fence || index < 0)
        {
            return false;
        }

        _memo.Set(index, _stack[_sp - 1]);
        return true;
    }
}
