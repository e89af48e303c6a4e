namespace PickleGuard.Pickle.Machine;

/// <summary>A side effect in stream order, recorded only when asked for (decompiler).</summary>
/// <param name="Target">The imported global, the created object, the built/mutated value, or the result.</param>
/// <param name="Argument">The BUILD state or the mutation's items; None otherwise.</param>
public sealed record MachineEvent(long ByteOffset, MachineEventKind Kind, PickleValue Target, PickleValue Argument);
