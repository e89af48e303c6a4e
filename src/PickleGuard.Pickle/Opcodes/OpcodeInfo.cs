namespace PickleGuard.Pickle.Opcodes;

/// <summary>One row of the opcode table: the <c>pickletools</c> name, how its argument is encoded, the protocol that introduced it.</summary>
public readonly record struct OpcodeInfo(PickleOpcode Opcode, string Name, ArgumentKind Argument, int Protocol);
