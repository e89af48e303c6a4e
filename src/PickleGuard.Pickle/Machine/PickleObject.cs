namespace PickleGuard.Pickle.Machine;

/// <summary>The symbolic result of a call: what was called, how, with which arguments, and any state built into it.</summary>
public sealed class PickleObject(int id, PickleValue callable, CallKind kind, PickleValue arguments, long offset)
{
    /// <summary>Sequence number, used by the decompiler as <c>_var{Id}</c>.</summary>
    public int Id { get; } = id;

    public PickleValue Callable { get; } = callable;

    public CallKind Kind { get; } = kind;

    /// <summary>The argument tuple (or the persistent id, or the EXT code as an int).</summary>
    public PickleValue Arguments { get; } = arguments;

    /// <summary>NEWOBJ_EX keyword arguments (a dict), otherwise None.</summary>
    public PickleValue KeywordArguments { get; init; } = PickleValue.None;

    public long ByteOffset { get; } = offset;

    /// <summary>The last BUILD state applied to the object, if any.</summary>
    public PickleValue? State { get; internal set; }

    /// <summary>Items appended or set on the object (list/dict subclasses), bounded like a container.</summary>
    public PickleContainer? Items { get; internal set; }
}
