using PickleGuard.Core;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// When a stream stops making sense the scan stops, but a loader may not: the C unpickler and pickle.py disagree on a few
/// inputs (a NUL inside a number line, a REDUCE argument that is a list), and joblib reads array bytes whose size the
/// scan could not work out. The unread rest of the stream is therefore swept for the imports it names, so a payload placed
/// after such a point is still reported for what it is.
/// </summary>
public sealed partial class PickleMachine
{
    private const int MaxSweptRemainder = 16 << 20;

    private void SweepUnreadRemainder()
    {
        if (_nestingDepth > 0 || !_log.Problems.Exists(p => p.RuleCode is PickleRules.Malformed or PickleRules.TrailingData))
        {
            return;
        }

        long remaining = _reader.Remaining;
        int size = (int)Math.Min(remaining < 0 ? MaxSweptRemainder : remaining, MaxSweptRemainder);
        if (size <= 0)
        {
            return;
        }

        long start = _reader.Position;
        var rest = new byte[size];
        int read = _reader.ReadRaw(rest);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (module, name, offset) in HiddenGlobalSweep.Find(rest.AsSpan(0, read).ToArray()))
        {
            var decision = _policy.Evaluate(module, name, _proto);
            if (decision.Verdict == GlobalVerdict.Allowed || !seen.Add(decision.ResolvedName))
            {
                continue;
            }

            bool dangerous = decision.Verdict == GlobalVerdict.Dangerous;
            _log.Add(new MachineProblem(dangerous ? PickleRules.DangerousGlobal : PickleRules.UnvettedGlobal, dangerous ? Severity.High : Severity.Medium,
                start + offset,
                $"{decision.ResolvedName} is named at offset {start + offset}, after the point where this scan stopped; a loader that reads on runs it: {decision.Reason}",
                decision.ResolvedName));
        }
    }
}
