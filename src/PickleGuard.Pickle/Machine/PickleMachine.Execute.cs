using PickleGuard.Pickle.Opcodes;
using PickleGuard.Pickle.Reading;

namespace PickleGuard.Pickle.Machine;

/// <summary>The opcode semantics (CPython <c>Modules/_pickle.c</c> <c>load_*</c> functions).</summary>
public sealed partial class PickleMachine
{
    /// <summary>Executes one decoded opcode; returns true at STOP. Errors set <see cref="_failure"/>.</summary>
    private bool Execute(ref PickleInstruction ins)
    {
        long at = ins.Offset;
        switch (ins.Opcode)
        {
            case PickleOpcode.BinFloat:
            case PickleOpcode.Float:
                Push(PickleValue.FromFloat(ins.Float));
                break;
            case PickleOpcode.BinInt:
            case PickleOpcode.BinInt1:
            case PickleOpcode.BinInt2:
                Push(PickleValue.FromInt(ins.Integer));
                break;
            case PickleOpcode.Int:
            case PickleOpcode.Long:
            case PickleOpcode.Long1:
            case PickleOpcode.Long4:
                Push(ins.IsBigInteger ? PickleValue.FromBigInt(ins.Text!) : ins.IsBoolean ? PickleValue.FromBool(ins.Integer != 0) : PickleValue.FromInt(ins.Integer));
                break;
            case PickleOpcode.None:
                Push(PickleValue.None);
                break;
            case PickleOpcode.NewTrue:
                Push(PickleValue.FromBool(true));
                break;
            case PickleOpcode.NewFalse:
                Push(PickleValue.FromBool(false));
                break;
            case PickleOpcode.String:
            case PickleOpcode.BinString:
            case PickleOpcode.ShortBinString:
            case PickleOpcode.Unicode:
            case PickleOpcode.BinUnicode:
            case PickleOpcode.ShortBinUnicode:
            case PickleOpcode.BinUnicode8:
                Push(PickleValue.FromStr(ins.Text!, !ins.IsPayloadTruncated));
                break;
            case PickleOpcode.BinBytes:
            case PickleOpcode.ShortBinBytes:
            case PickleOpcode.BinBytes8:
                Push(PickleValue.FromBytes(new PickleBytes(ins.Data!, ins.DeclaredLength), mutable: false));
                break;
            case PickleOpcode.ByteArray8:
                Push(PickleValue.FromBytes(new PickleBytes(ins.Data!, ins.DeclaredLength), mutable: true));
                break;
            case PickleOpcode.NextBuffer:
                Push(PickleValue.FromBuffer());
                break;
            case PickleOpcode.ReadOnlyBuffer:
                Need(1, at);
                break;
            case PickleOpcode.EmptyList:
                Push(PickleValue.FromContainer(NewContainer(PickleValueKind.List)));
                break;
            case PickleOpcode.EmptyDict:
                Push(PickleValue.FromContainer(NewContainer(PickleValueKind.Dict)));
                break;
            case PickleOpcode.EmptyTuple:
                Push(PickleValue.FromContainer(NewContainer(PickleValueKind.Tuple)));
                break;
            case PickleOpcode.EmptySet:
                Push(PickleValue.FromContainer(NewContainer(PickleValueKind.Set)));
                break;
            case PickleOpcode.Tuple1:
            case PickleOpcode.Tuple2:
            case PickleOpcode.Tuple3:
                TupleN(ins.Opcode - PickleOpcode.Tuple1 + 1, at);
                break;
            case PickleOpcode.Mark:
                PushMark(at);
                break;
            case PickleOpcode.Tuple:
                CollectMarked(PickleValueKind.Tuple, at);
                break;
            case PickleOpcode.List:
                CollectMarked(PickleValueKind.List, at);
                break;
            case PickleOpcode.FrozenSet:
                CollectMarked(PickleValueKind.FrozenSet, at);
                break;
            case PickleOpcode.Dict:
                CollectMarked(PickleValueKind.Dict, at);
                break;
            case PickleOpcode.Append:
                AppendOne(at);
                break;
            case PickleOpcode.Appends:
                AddMarkedItems(PickleValueKind.List, at);
                break;
            case PickleOpcode.SetItem:
                SetOneItem(at);
                break;
            case PickleOpcode.SetItems:
                AddMarkedItems(PickleValueKind.Dict, at);
                break;
            case PickleOpcode.AddItems:
                AddMarkedItems(PickleValueKind.Set, at);
                break;
            case PickleOpcode.Pop:
                PopOne(at);
                break;
            case PickleOpcode.PopMark:
            {
                int start = PopMark(at);
                if (start >= 0)
                {
                    _sp = start;
                }

                break;
            }

            case PickleOpcode.Dup:
                if (Need(1, at))
                {
                    Share(Top);
                    Push(Top);
                }

                break;
            case PickleOpcode.Get:
            case PickleOpcode.BinGet:
            case PickleOpcode.LongBinGet:
                MemoGet(ins.Integer, at);
                break;
            case PickleOpcode.Put:
            case PickleOpcode.BinPut:
            case PickleOpcode.LongBinPut:
                MemoPut(ins.Integer, at);
                break;
            case PickleOpcode.Memoize:
                MemoPut(_memo.Count, at);
                break;
            case PickleOpcode.Frame:
                StartFrame(ins.Integer, at);
                break;
            case PickleOpcode.Proto:
                if (ins.Integer > 5)
                {
                    Malformed(at, $"unsupported pickle protocol: {ins.Integer}");
                }

                _proto = (int)ins.Integer;
                break;
            case PickleOpcode.Stop:
                if (Need(1, at))
                {
                    var result = Pop();
                    AddResult(result);
                    Record(MachineEventKind.Result, at, result, PickleValue.None);
                    return true;
                }

                break;
            default:
                ExecuteCallOpcode(ref ins);
                break;
        }

        return false;
    }

    private void AppendOne(long at)
    {
        if (Need(2, at))
        {
            _sp--;
            AddItems(Top, _stack.AsSpan(_sp, 1), PickleValueKind.List, at);
        }
    }

    private void SetOneItem(long at)
    {
        if (Need(3, at))
        {
            _sp -= 2;
            AddItems(Top, _stack.AsSpan(_sp, 2), PickleValueKind.Dict, at);
        }
    }

    private void MemoGet(long index, long at)
    {
        if (_memo.TryGet(index, out var value))
        {
            Push(value);
        }
        else
        {
            Malformed(at, $"memo value not found at index {index} (offset {at})");
        }
    }

    private void TupleN(int count, long at)
    {
        if (!Need(count, at))
        {
            return;
        }

        var tuple = NewContainer(PickleValueKind.Tuple);
        tuple.AddRange(_stack.AsSpan(_sp - count, count), _limits.MaxRetainedItems);

        _sp -= count;
        Push(PickleValue.FromContainer(tuple));
    }

    private void CollectMarked(PickleValueKind kind, long at)
    {
        int start = PopMark(at);
        if (start < 0)
        {
            return;
        }

        var container = NewContainer(kind);
        if (kind == PickleValueKind.Dict)
        {
            if ((_sp - start) % 2 != 0)
            {
                Malformed(at, "odd number of items for DICT");
                return;
            }

            for (int i = start; i < _sp; i += 2)
            {
                container.AddPair(_stack[i], _stack[i + 1], _limits.MaxRetainedItems);
            }
        }
        else
        {
            container.AddRange(_stack.AsSpan(start, _sp - start), _limits.MaxRetainedItems);
        }

        _sp = start;
        Push(PickleValue.FromContainer(container));
    }

    private void AddMarkedItems(PickleValueKind expected, long at)
    {
        int start = PopMark(at);
        if (start < 0)
        {
            return;
        }

        // The target sits just below the mark and must be above the enclosing mark (CPython's fence check).
        if (start <= _fence)
        {
            Malformed(at, $"unpickling stack underflow at offset {at}");
            return;
        }

        if (expected == PickleValueKind.Dict && (_sp - start) % 2 != 0)
        {
            Malformed(at, "odd number of items for SETITEMS");
            return;
        }

        int end = _sp;
        _sp = start;
        AddItems(_stack[start - 1], _stack.AsSpan(start, end - start), expected, at);
    }

    private void PopOne(long at)
    {
        // CPython pops the mark instead when the mark is on top of the stack.
        if (_markCount > 0 && _marks[_markCount - 1] == _sp)
        {
            PopMark(at);
        }
        else if (_sp <= _fence)
        {
            Malformed(at, $"unpickling stack underflow at offset {at}");
        }
        else
        {
            _sp--;
        }
    }

    private void MemoPut(long index, long at)
    {
        if (_sp <= _fence)
        {
            Malformed(at, $"unpickling stack underflow at offset {at}");
            return;
        }

        if (index < 0)
        {
            Malformed(at, "negative PUT argument");
            return;
        }

        // Past the exact budget a new entry costs no memory (it extends a run, or fills a bounded map), so the entry limit,
        // which exists to bound memory, no longer needs to stop the scan.
        if (_memo.Count >= _limits.MaxMemoEntries && !_memo.PastBudget)
        {
            Fail(PickleRules.ResourceLimit, at, $"the memo grew beyond {_limits.MaxMemoEntries} entries");
            return;
        }

        _memo.Set(index, Top);
        if (_memo.PastBudget != _memoBudgetNoted || _memo.Degraded != _memoDegradedNoted)
        {
            NoteMemoBudget(at);
        }
    }

    /// <summary>Says once that the memo stopped being exact, and once more if its past-budget bookkeeping overflowed.</summary>
    private void NoteMemoBudget(long at)
    {
        if (!_memoBudgetNoted)
        {
            _memoBudgetNoted = true;
            _log.Add(new MachineProblem(PickleRules.ResourceLimit, Core.Severity.Info, at,
                $"the memo reached {_limits.MaxExactMemoEntries} entries at offset {at}; past this budget only globals and call results are kept exactly, other memoized values come back as unknown and are treated conservatively (a STACK_GLOBAL of one is reported as unresolvable)"));
        }

        if (_memo.Degraded && !_memoDegradedNoted)
        {
            _memoDegradedNoted = true;
            _log.Add(new MachineProblem(PickleRules.ResourceLimit, Core.Severity.Info, at,
                $"past the memo budget, more than {MemoTable.MaxKeptPastBudget} globals and call results or more than {MemoRunSet.MaxRuns} separate index runs were memoized at offset {at}; from here every memo index counts as defined and every forgotten value as unknown, including globals and call results (calling one is reported as a computed callable)"));
        }
    }

    private void CheckFrame(long length, long at)
    {
        long remaining = _reader.Remaining;
        if (remaining >= 0 && length > remaining)
        {
            // CPython fails here before running the frame; the content is still scanned so that nothing in it is missed.
            _log.Add(new MachineProblem(PickleRules.Malformed, Core.Severity.Medium, at,
                $"FRAME at offset {at} declares {length} bytes but only {remaining} remain (truncated frame)"));
        }
    }
}
