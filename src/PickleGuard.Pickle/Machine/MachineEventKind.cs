namespace PickleGuard.Pickle.Machine;

/// <summary>The kinds of side effects the decompiler shows as statements.</summary>
public enum MachineEventKind : byte
{
    /// <summary>A global is imported.</summary>
    Import,
    /// <summary>A call creates an object (REDUCE, NEWOBJ, OBJ, INST, persistent load, EXT).</summary>
    Call,
    /// <summary>BUILD applies state to an object or global.</summary>
    Build,
    /// <summary>Items are appended or set on an object that is not a plain container.</summary>
    Mutate,
    /// <summary>STOP: a pickle's result.</summary>
    Result,
}
