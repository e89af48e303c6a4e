using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using PickleGuard.Pickle.Opcodes;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The hot loop for the opcodes that make up the bulk of large benign pickles (numbers, short strings, memo, marks,
/// small containers). They are decoded straight from the reader's buffer instead of through a
/// <see cref="Reading.PickleInstruction"/>, with the same semantics as <see cref="Execute"/>. Only opcodes that end
/// inside the buffer and strictly before the end of the current FRAME are taken here, so frame-boundary checks, refills
/// and every other opcode stay on the general path.
/// </summary>
public sealed partial class PickleMachine
{
    /// <summary>Runs simple opcodes until one does not fit the window, is not simple, fails, or the opcode budget is spent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RunSimpleOpcodes(ref long opcodes)
    {
        var window = _reader.UnreadWindow(_frameEnd >= 0 ? _frameEnd - 1 : long.MaxValue, out long windowStart);
        long budget = _limits.MaxOpcodes - opcodes;
        int i = 0;
        long done = 0;
        while (i < window.Length && done < budget)
        {
            int left = window.Length - i;
            long at = windowStart + i;
            int size;
            switch ((PickleOpcode)window[i])
            {
                case PickleOpcode.BinFloat when left >= 9:
                    size = Consume(9);
                    Push(PickleValue.FromFloat(BinaryPrimitives.ReadDoubleBigEndian(window.Slice(i + 1, 8))));
                    break;
                case PickleOpcode.BinInt when left >= 5:
                    size = Consume(5);
                    Push(PickleValue.FromInt(BinaryPrimitives.ReadInt32LittleEndian(window.Slice(i + 1, 4))));
                    break;
                case PickleOpcode.BinInt1 when left >= 2:
                    size = Consume(2);
                    Push(PickleValue.FromInt(window[i + 1]));
                    break;
                case PickleOpcode.BinInt2 when left >= 3:
                    size = Consume(3);
                    Push(PickleValue.FromInt(BinaryPrimitives.ReadUInt16LittleEndian(window.Slice(i + 1, 2))));
                    break;
                case PickleOpcode.None:
                    size = Consume(1);
                    Push(PickleValue.None);
                    break;
                case PickleOpcode.NewTrue:
                case PickleOpcode.NewFalse:
                    size = Consume(1);
                    Push(PickleValue.FromBool(window[i] == (byte)PickleOpcode.NewTrue));
                    break;
                case PickleOpcode.ShortBinUnicode when left >= 2 && window[i + 1] <= left - 2:
                    size = Consume(2 + window[i + 1]);
                    Push(PickleValue.FromStr(_reader.DecodeUnicode(window.Slice(i + 2, size - 2)), complete: true));
                    break;
                case PickleOpcode.Memoize:
                    size = Consume(1);
                    MemoPut(_memo.Count, at);
                    break;
                case PickleOpcode.BinPut when left >= 2:
                    size = Consume(2);
                    MemoPut(window[i + 1], at);
                    break;
                case PickleOpcode.BinGet when left >= 2:
                    size = Consume(2);
                    MemoGet(window[i + 1], at);
                    break;
                case PickleOpcode.Mark:
                    size = Consume(1);
                    PushMark(at);
                    break;
                case PickleOpcode.Tuple1:
                case PickleOpcode.Tuple2:
                case PickleOpcode.Tuple3:
                    size = Consume(1);
                    TupleN(window[i] - (byte)PickleOpcode.Tuple1 + 1, at);
                    break;
                case PickleOpcode.EmptyTuple:
                    size = Consume(1);
                    Push(PickleValue.FromContainer(NewContainer(PickleValueKind.Tuple)));
                    break;
                case PickleOpcode.EmptyList:
                    size = Consume(1);
                    Push(PickleValue.FromContainer(NewContainer(PickleValueKind.List)));
                    break;
                case PickleOpcode.EmptyDict:
                    size = Consume(1);
                    Push(PickleValue.FromContainer(NewContainer(PickleValueKind.Dict)));
                    break;
                case PickleOpcode.Append:
                    size = Consume(1);
                    AppendOne(at);
                    break;
                case PickleOpcode.Appends:
                    size = Consume(1);
                    AddMarkedItems(PickleValueKind.List, at);
                    break;
                case PickleOpcode.SetItem:
                    size = Consume(1);
                    SetOneItem(at);
                    break;
                case PickleOpcode.SetItems:
                    size = Consume(1);
                    AddMarkedItems(PickleValueKind.Dict, at);
                    break;
                default:
                    opcodes += done;
                    return;
            }

            i += size;
            done++;
            if (_failure is not null)
            {
                break;
            }
        }

        opcodes += done;
    }

    /// <summary>Consumes an opcode from the reader before it runs, so that errors see the position after it, as on the general path.</summary>
    private int Consume(int size)
    {
        _reader.Consume(size);
        return size;
    }
}
