using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle;

/// <summary>
/// A global the unpickler would import (GLOBAL, STACK_GLOBAL, INST, EXT), as written in the stream and as resolved,
/// with the policy verdict, the first offset, how often it occurs and where it would be called.
/// </summary>
public sealed class PickleGlobal
{
    private readonly List<PickleCallSite> _calls = [];

    internal PickleGlobal(string module, string name, string resolvedName, long byteOffset, string opcode, GlobalVerdict verdict, string reason)
    {
        Module = module;
        Name = name;
        ResolvedName = resolvedName;
        ByteOffset = byteOffset;
        Opcode = opcode;
        Verdict = verdict;
        Reason = reason;
    }

    /// <summary>Module as written in the stream (before the Python 2 mapping); "?" when unresolvable.</summary>
    public string Module { get; }

    /// <summary>Qualified name as written (may be dotted: an attribute chain).</summary>
    public string Name { get; }

    /// <summary>The dotted name the unpickler would look up, after the Python 2 mapping for protocols &lt; 3.</summary>
    public string ResolvedName { get; }

    /// <summary>Offset of the first opcode that imports it.</summary>
    public long ByteOffset { get; }

    /// <summary>Name of the importing opcode (GLOBAL, STACK_GLOBAL, INST, EXT1…).</summary>
    public string Opcode { get; }

    public GlobalVerdict Verdict { get; }

    /// <summary>The reason of the matching policy entry, or why it is unvetted/unresolvable.</summary>
    public string Reason { get; }

    public long Occurrences { get; private set; } = 1;

    public long CallCount { get; private set; }

    /// <summary>The first call sites (bounded by <see cref="PickleLimits.MaxCallSitesPerGlobal"/>).</summary>
    public IReadOnlyList<PickleCallSite> Calls => _calls;

    internal void AddOccurrence() => Occurrences++;

    internal void AddCall(PickleCallSite site, int maxSites)
    {
        CallCount++;
        if (_calls.Count < maxSites)
        {
            _calls.Add(site);
        }
    }

    internal static string CallKindVerb(CallKind kind) => kind switch
    {
        CallKind.Build => "its __setstate__/attribute assignment runs",
        CallKind.Mutate => "a method is called on its instance",
        _ => "it is called",
    };

    public override string ToString() => $"{ResolvedName} ({Verdict}) at {ByteOffset}";
}
