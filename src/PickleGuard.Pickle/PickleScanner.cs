using PickleGuard.Core;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle;

/// <summary>
/// Scans byte streams holding one or more pickles with the symbolic machine and turns what it learned into findings
/// under a <see cref="PicklePolicy"/>. Thread-safe: one scanner can scan many streams in parallel.
/// </summary>
public sealed class PickleScanner(PicklePolicy policy, PickleLimits limits)
{
    private const int MaxTraceCalls = 5;

    public PicklePolicy Policy { get; } = policy;

    public PickleLimits Limits { get; } = limits;

    /// <summary>Scans one byte stream that should hold one or more pickles; never throws on input.</summary>
    public PickleScanResult Scan(Stream stream, Location where)
    {
        var run = Execute(stream);
        return new PickleScanResult(BuildFindings(run, where), run.Globals, run.BytesRead, run.CompletelyRead) { PickleCount = run.PickleCount };
    }

    /// <summary>Runs the symbolic machine and returns its raw result (value tree, globals, problems, optional events).</summary>
    public PickleMachineResult Execute(Stream stream, bool recordEvents = false) =>
        new PickleMachine(Policy, Limits, recordEvents).Run(stream);

    /// <summary>Findings for a machine result, ordered by offset.</summary>
    public IReadOnlyList<Finding> BuildFindings(PickleMachineResult run, Location where)
    {
        var findings = new List<Finding>();
        foreach (var global in run.Globals)
        {
            if (global.Verdict != GlobalVerdict.Allowed)
            {
                findings.Add(GlobalFinding(global, where));
            }
        }

        foreach (var problem in run.Problems)
        {
            findings.Add(new Finding(problem.RuleCode, problem.Severity, where with { ByteOffset = problem.ByteOffset }, problem.Message)
            {
                Callable = problem.Callable,
            });
        }

        findings.Sort((a, b) => (a.Location.ByteOffset ?? 0).CompareTo(b.Location.ByteOffset ?? 0));
        return findings;
    }

    private Finding GlobalFinding(PickleGlobal global, Location where)
    {
        var (rule, severity, confidence) = global.Verdict switch
        {
            GlobalVerdict.Dangerous => (PickleRules.DangerousGlobal, Severity.High, Confidence.High),
            GlobalVerdict.Unresolvable when IsUncalledExtension(global) => (PickleRules.UnresolvableGlobal, Severity.Medium, Confidence.Medium),
            GlobalVerdict.Unresolvable => (PickleRules.UnresolvableGlobal, Severity.High, Confidence.Medium),
            _ => (PickleRules.UnvettedGlobal, Severity.Medium, Confidence.Medium),
        };

        var importedAt = where with { ByteOffset = global.ByteOffset };
        var trace = new List<TraceStep>
        {
            new(importedAt, $"{global.Opcode} imports {Describe(global)}", TraceStepKind.Source),
        };
        foreach (var call in global.Calls.Take(MaxTraceCalls))
        {
            trace.Add(new TraceStep(where with { ByteOffset = call.ByteOffset }, $"{call.Kind} at offset {call.ByteOffset}: {global.ResolvedName}{Arguments(call)}", TraceStepKind.Sink));
        }

        return new Finding(rule, severity, importedAt, Message(global))
        {
            Confidence = confidence,
            Callable = global.ResolvedName,
            Trace = trace,
        };
    }

    /// <summary>
    /// An EXT1/EXT2/EXT4 lookup nothing calls: the global is one the loading program itself registered with copyreg
    /// (none by default, and CPython then fails), so the file cannot choose it, and importing it runs nothing the file
    /// controls. A computed STACK_GLOBAL stays high: its name may be the file's choice. Still reported, at medium: a
    /// Rust bincode file whose count starts with 0x84 reads as EXT4 and then breaks (chroma's benchmark data).
    /// </summary>
    private static bool IsUncalledExtension(PickleGlobal global) =>
        global.CallCount == 0 && global.Opcode is "EXT1" or "EXT2" or "EXT4";

    private static string Describe(PickleGlobal global)
    {
        var written = global.Module + "." + global.Name;
        return global.Module == "?" || written == global.ResolvedName ? global.ResolvedName : $"{global.ResolvedName} (written as {written})";
    }

    private static string Arguments(PickleCallSite call) => call.Kind is CallKind.Build or CallKind.Mutate ? " state " + call.Arguments : call.Arguments;

    private string Message(PickleGlobal global)
    {
        string use;
        if (global.CallCount == 0)
        {
            use = $"is imported at offset {global.ByteOffset}";
        }
        else
        {
            var first = global.Calls[0];
            string more = global.CallCount > 1 ? $" ({global.CallCount} calls)" : "";
            use = first.Kind is CallKind.Build or CallKind.Mutate
                ? $"is imported at offset {global.ByteOffset} and {PickleGlobal.CallKindVerb(first.Kind)} at offset {first.ByteOffset}{more}"
                : $"is called at offset {first.ByteOffset} as {global.ResolvedName}{first.Arguments}{more}";
        }

        return global.Verdict switch
        {
            GlobalVerdict.Dangerous => $"{Describe(global)} {use}: {global.Reason}",
            GlobalVerdict.Unresolvable when IsUncalledExtension(global) =>
                $"{global.Opcode} {use} with a name that cannot be resolved statically: {global.Reason}; nothing calls it, so at worst a global the program registered is imported",
            GlobalVerdict.Unresolvable => $"{global.Opcode} {use} with a name that cannot be resolved statically: {global.Reason}",
            _ => $"{Describe(global)} {use} but is not on the '{Policy.Profile}' allowlist (default-deny: importing runs the module's code, calling it runs unvetted code)",
        };
    }
}
