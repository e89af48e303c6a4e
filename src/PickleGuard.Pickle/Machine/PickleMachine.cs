using System.Runtime.CompilerServices;
using PickleGuard.Core;
using PickleGuard.Pickle.Opcodes;
using PickleGuard.Pickle.Reading;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The symbolic pickle machine: executes every opcode over a stack of <see cref="PickleValue"/>s, marks, a memo and
/// frames, exactly as CPython's C unpickler would, except that it never imports or calls anything. It records every
/// global that would be imported and every call that would be made, with byte offsets, and keeps reading pickle
/// after pickle until the stream ends or breaks. Never throws on input.
/// </summary>
public sealed partial class PickleMachine
{
    private const int MaxRecordedEvents = 200_000;
    private const int MaxRecordedResults = 1_000;

    private readonly PicklePolicy _policy;
    private readonly PickleLimits _limits;
    private readonly bool _recordEvents;
    private readonly List<MachineEvent> _events = [];
    private readonly ProblemLog _log = new();
    private readonly List<PickleGlobal> _globals = [];
    private readonly Dictionary<(string Module, string Name, bool Mapped), PickleGlobal> _globalIndex = [];
    private readonly List<PickleValue> _results = [];
    private readonly MemoTable _memo;
    // Starts small and doubles (PushAfterGrowing): discovery and archive scans probe every unrecognised file with a
    // machine, and most of them stop after a few opcodes.
    private PickleValue[] _stack = new PickleValue[32];
    private int _sp;
    private int[] _marks = new int[32];
    private int _markCount;
    private int _fence;
    private int _proto;
    private int _nextObjectId;
    private long _sideEffects;
    private MachineProblem? _failure;
    private bool _memoBudgetNoted;
    private bool _memoDegradedNoted;
    private PickleInstructionReader _reader = null!;

    public PickleMachine(PicklePolicy policy, PickleLimits limits, bool recordEvents = false)
    {
        _policy = policy;
        _limits = limits;
        _recordEvents = recordEvents;
        _memo = new MemoTable(retainAll: recordEvents || limits.KeepWholeValueTree || limits.MaxRetainedItems == int.MaxValue, limits.MaxExactMemoEntries);
    }

    /// <summary>Runs every pickle in <paramref name="stream"/>. Use a new machine per stream.</summary>
    public PickleMachineResult Run(Stream stream)
    {
        _reader = new PickleInstructionReader(stream, _limits.MaxRetainedBytes, _limits.MaxLineBytes, _limits.MaxTotalBytes);
        int pickles = 0;
        bool complete = true;
        long opcodes = 0;
        while (true)
        {
            if (!_reader.HasMore())
            {
                if (pickles == 0)
                {
                    complete = false;
                    _log.Add(new MachineProblem(PickleRules.Malformed, Severity.Medium, 0, "the stream is empty: there is no pickle to read"));
                }

                break;
            }

            if (pickles >= _limits.MaxPickles)
            {
                complete = false;
                _log.Add(new MachineProblem(PickleRules.ResourceLimit, Severity.Medium, _reader.Position,
                    $"the stream holds more than {_limits.MaxPickles} consecutive pickles; the rest was not scanned"));
                break;
            }

            bool stopped;
            try
            {
                stopped = RunOnePickle(pickles, ref opcodes);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A scanner bug must never turn into "clean" or a crash on hostile input: fail closed and keep what was found.
                _log.Add(new MachineProblem(PickleRules.Malformed, Severity.Medium, _reader.Position,
                    $"the scanner stopped on an internal error at offset {_reader.Position} ({e.GetType().Name}); the rest of the stream was not checked"));
                stopped = false;
            }

            if (!stopped)
            {
                complete = false;
                SweepUnreadRemainder();
                break;
            }

            pickles++;
        }

        _log.Summarise();
        return new PickleMachineResult(_results, _globals, _log.Problems, _events, _reader.Position, complete, pickles);
    }

    /// <summary>Executes one pickle up to its STOP. Returns false when the stream breaks or a limit is hit.</summary>
    /// <remarks>Fully optimized from the start: the loop runs once per pickle, so tiered compilation would leave it in OSR code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool RunOnePickle(int index, ref long opcodes)
    {
        _sp = 0;
        _markCount = 0;
        _fence = 0;
        _proto = 0;
        _frameEnd = -1;
        long start = _reader.Position;
        long sideEffectsAtStart = _sideEffects;
        var ins = default(PickleInstruction);
        while (true)
        {
            RunSimpleOpcodes(ref opcodes);
            if (_failure is not null)
            {
                ReportFailure(index, start, sideEffectsAtStart);
                return false;
            }

            var status = _reader.Next(ref ins);
            if (status != ReadStatus.Ok)
            {
                ReportReadFailure(status, ins, index, start, sideEffectsAtStart);
                return false;
            }

            if (++opcodes > _limits.MaxOpcodes)
            {
                _log.Add(new MachineProblem(PickleRules.ResourceLimit, Severity.Medium, ins.Offset,
                    $"more than {_limits.MaxOpcodes} opcodes: the scan stopped here"));
                return false;
            }

            if (_frameEnd >= 0 && _reader.Position >= _frameEnd)
            {
                CheckFrameBoundary(ref ins);
            }

            // The most frequent opcodes of large benign pickles are handled inline; everything else goes to Execute.
            bool stop = false;
            switch (ins.Opcode)
            {
                case PickleOpcode.BinFloat:
                    Push(PickleValue.FromFloat(ins.Float));
                    break;
                case PickleOpcode.BinInt:
                case PickleOpcode.BinInt1:
                case PickleOpcode.BinInt2:
                    Push(PickleValue.FromInt(ins.Integer));
                    break;
                case PickleOpcode.None:
                    Push(PickleValue.None);
                    break;
                case PickleOpcode.ShortBinUnicode:
                case PickleOpcode.BinUnicode:
                    Push(PickleValue.FromStr(ins.Text!, !ins.IsPayloadTruncated));
                    break;
                case PickleOpcode.Memoize:
                    MemoPut(_memo.Count, ins.Offset);
                    break;
                case PickleOpcode.Mark:
                    PushMark(ins.Offset);
                    break;
                default:
                    stop = Execute(ref ins);
                    break;
            }

            if (_failure is not null)
            {
                ReportFailure(index, start, sideEffectsAtStart);
                return false;
            }

            if (stop)
            {
                return true;
            }
        }
    }

    private void ReportFailure(int index, long start, long sideEffectsAtStart)
    {
        bool trailing = index > 0 && _sideEffects == sideEffectsAtStart && _failure!.RuleCode == PickleRules.Malformed;
        _log.Add(trailing ? TrailingData(start, _failure!.Message) : _failure!);
        _failure = null;
    }

    private void ReportReadFailure(ReadStatus status, in PickleInstruction ins, int index, long start, long sideEffectsAtStart)
    {
        string message = status switch
        {
            ReadStatus.EndOfInput => $"the stream ends at offset {_reader.Position} before the pickle's STOP opcode (truncated)",
            _ => _reader.Error,
        };
        if (status == ReadStatus.LimitExceeded)
        {
            _log.Add(new MachineProblem(PickleRules.ResourceLimit, Severity.Medium, ins.Offset, message));
        }
        else if (index > 0 && _sideEffects == sideEffectsAtStart)
        {
            _log.Add(TrailingData(start, message));
        }
        else
        {
            _log.Add(new MachineProblem(PickleRules.Malformed, Severity.Medium, status == ReadStatus.EndOfInput ? _reader.Position : ins.Offset,
                "the pickle cannot be read to its end: " + message));
        }
    }

    private MachineProblem TrailingData(long start, string why) =>
        new(PickleRules.TrailingData, Severity.Medium, start,
            $"the bytes after the last STOP (from offset {start}) are not a valid pickle ({why}); data hidden after a pickle is not checked by loaders and can carry a second payload");

    private void Fail(string ruleCode, long offset, string message) =>
        _failure ??= new MachineProblem(ruleCode, Severity.Medium, offset, message);

    private void Malformed(long offset, string message) => Fail(PickleRules.Malformed, offset, "the pickle cannot be read to its end: " + message);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Push(PickleValue value)
    {
        var stack = _stack;
        int sp = _sp;
        if ((uint)sp < (uint)stack.Length)
        {
            stack[sp] = value;
            _sp = sp + 1;
            return;
        }

        PushAfterGrowing(value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PushAfterGrowing(PickleValue value)
    {
        if (_sp >= _limits.MaxStackDepth)
        {
            Fail(PickleRules.ResourceLimit, _reader.Position, $"the stack grew beyond {_limits.MaxStackDepth} values");
            return;
        }

        Array.Resize(ref _stack, (int)Math.Min((long)_stack.Length * 2, Math.Max(_limits.MaxStackDepth, 16)));
        _stack[_sp++] = value;
    }

    /// <summary>True when at least <paramref name="count"/> values sit above the current mark; otherwise fails with a stack underflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Need(int count, long offset)
    {
        if (_sp - _fence >= count)
        {
            return true;
        }

        Malformed(offset, $"unpickling stack underflow at offset {offset}");
        return false;
    }

    private PickleValue Pop() => _stack[--_sp];

    private ref PickleValue Top => ref _stack[_sp - 1];

    private void PushMark(long offset)
    {
        if (_markCount >= _limits.MaxMarkDepth)
        {
            Fail(PickleRules.ResourceLimit, offset, $"more than {_limits.MaxMarkDepth} nested MARKs");
            return;
        }

        if (_markCount == _marks.Length)
        {
            Array.Resize(ref _marks, _marks.Length * 2);
        }

        _marks[_markCount++] = _sp;
        _fence = _sp;
    }

    /// <summary>Pops the top mark; returns the stack index where the marked items start, or -1 (and fails) without a mark.</summary>
    private int PopMark(long offset)
    {
        if (_markCount == 0)
        {
            Malformed(offset, $"could not find MARK for the opcode at offset {offset}");
            return -1;
        }

        int start = _marks[--_markCount];
        _fence = _markCount > 0 ? _marks[_markCount - 1] : 0;
        return start;
    }

    private void Record(MachineEventKind kind, long offset, PickleValue target, PickleValue argument)
    {
        if (_recordEvents && _events.Count < MaxRecordedEvents)
        {
            _events.Add(new MachineEvent(offset, kind, target, argument));
        }
    }

    private void AddResult(PickleValue value)
    {
        Share(value);
        if (_results.Count < MaxRecordedResults)
        {
            _results.Add(value);
        }
    }
}
