namespace PickleGuard.Pickle;

/// <summary>One place where the unpickler would call a global: offset of the calling opcode, how, and the arguments (Python repr, shortened).</summary>
public sealed record PickleCallSite(long ByteOffset, Machine.CallKind Kind, string Arguments);
