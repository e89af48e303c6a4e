using PickleGuard.Core;
using PickleGuard.Pickle.Opcodes;
using PickleGuard.Pickle.Reading;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// FRAME boundaries. CPython's C unpickler reads frames as a plain prefetch, but when an opcode's argument runs past
/// the end of its frame, file-based loading can read different bytes than a linear reader (CPython issue 154848):
/// code a scanner sees as the inside of a bytes constant may run. Such streams are reported, and the straddling
/// payload is swept for hidden imports.
/// </summary>
public sealed partial class PickleMachine
{
    private long _frameEnd = -1;
    private bool _frameProblemReported;

    private void CheckFrameBoundary(ref PickleInstruction ins)
    {
        // Called once the read position reaches the end of the current frame.
        long after = _reader.Position;
        if (ins.Offset < _frameEnd && after > _frameEnd)
        {
            ReportFrameProblem(ins.Offset,
                $"the argument of {OpcodeTable.Find((byte)ins.Opcode)?.Name} at offset {ins.Offset} runs past the end of its FRAME at offset {_frameEnd}; loaders disagree on which bytes it holds, and opcodes hidden in it may run");
            SweepHiddenGlobals(ins);
        }

        if (after >= _frameEnd)
        {
            _frameEnd = -1;
        }
    }

    private void StartFrame(long length, long at)
    {
        if (_frameEnd >= 0 && at < _frameEnd)
        {
            ReportFrameProblem(at, $"a new FRAME starts at offset {at} before the current frame ends at {_frameEnd} (pickle.py rejects this; the C unpickler does not)");
        }

        CheckFrame(length, at);
        _frameEnd = _reader.Position + length;
    }

    private void ReportFrameProblem(long at, string message)
    {
        if (_frameProblemReported)
        {
            return;
        }

        _frameProblemReported = true;
        _log.Add(new MachineProblem(PickleRules.Malformed, Severity.Medium, at, message));
    }

    private void SweepHiddenGlobals(in PickleInstruction ins)
    {
        byte[]? payload = ins.Data ?? (ins.Text is { } text ? System.Text.Encoding.UTF8.GetBytes(text) : null);
        if (payload is null)
        {
            return;
        }

        foreach (var (module, name, offset) in HiddenGlobalSweep.Find(payload))
        {
            var decision = _policy.Evaluate(module, name, _proto);
            if (decision.Verdict == GlobalVerdict.Allowed)
            {
                continue;
            }

            bool dangerous = decision.Verdict == GlobalVerdict.Dangerous;
            _log.Add(new MachineProblem(dangerous ? PickleRules.DangerousGlobal : PickleRules.UnvettedGlobal, dangerous ? Severity.High : Severity.Medium, ins.Offset,
                $"{decision.ResolvedName} is named at byte {offset} inside the frame-straddling argument at offset {ins.Offset}; a loader that reads past the frame runs it: {decision.Reason}",
                decision.ResolvedName));
        }
    }
}
