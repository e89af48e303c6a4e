namespace PickleGuard.Pickle.Machine;

/// <summary>What a symbolic value on the machine's stack stands for.</summary>
public enum PickleValueKind : byte
{
    None,
    Bool,
    Int,
    /// <summary>An int too large for a long; <see cref="PickleValue.Reference"/> holds its decimal digits.</summary>
    BigInt,
    Float,
    Str,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
    /// <summary>A global (class or function) that would be imported: <see cref="PickleValue.Reference"/> is a <see cref="PickleGlobal"/>.</summary>
    Global,
    /// <summary>The result of a call (REDUCE, NEWOBJ, OBJ, INST, persistent load, EXT): a <see cref="PickleObject"/>.</summary>
    Object,
    /// <summary>An out-of-band buffer (NEXT_BUFFER) whose content is not in the stream.</summary>
    Buffer,
    /// <summary>
    /// A memo entry forgotten past <see cref="PickleLimits.MaxExactMemoEntries"/>: even its kind is unknown, so every check
    /// treats it conservatively (see <see cref="PickleValue.Unknown"/>).
    /// </summary>
    Unknown,
}
