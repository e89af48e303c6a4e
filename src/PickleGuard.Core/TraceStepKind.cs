namespace PickleGuard.Core;

/// <summary>The role of one step in an evidence trail.</summary>
public enum TraceStepKind
{
    /// <summary>Where untrusted data enters (code), or where a global is imported (artifact).</summary>
    Source,
    /// <summary>An intermediate step: assignment, call, return, attribute, opcode.</summary>
    Step,
    /// <summary>The deserializing call (code), or the call of the dangerous global (artifact).</summary>
    Sink,
}
