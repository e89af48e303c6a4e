namespace PickleGuard.Pickle.Rendering;

/// <summary>One line of a disassembly: offset, opcode name, rendered argument, mark depth; or an error line.</summary>
public sealed record DisassembledInstruction(long Offset, string Name, string Argument, int MarkDepth, string? Error = null);
