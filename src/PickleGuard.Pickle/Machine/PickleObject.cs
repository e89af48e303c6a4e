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

    /// <summary>
    /// This object, or a copy whose large str/bytes arguments and state are elided: what the scan-mode memo keeps, so
    /// that memoized call results (e.g. <c>_codecs.encode</c> of array data) do not hold their payloads for the whole scan.
    /// </summary>
    internal PickleObject WithoutLargePayloads(int maxPayload)
    {
        if (!HasLargePayload(Arguments, maxPayload) && !(State is { } state && HasLargePayload(state, maxPayload)))
        {
            return this;
        }

        return new PickleObject(Id, Callable, Kind, PickleValue.Elided(Arguments.Kind), ByteOffset)
        {
            KeywordArguments = KeywordArguments,
            State = State is { } s ? PickleValue.Elided(s.Kind) : null,
            Items = Items,
        };
    }

    private static bool HasLargePayload(PickleValue value, int maxPayload)
    {
        if (IsLarge(value, maxPayload))
        {
            return true;
        }

        if (value.AsContainer is { } container)
        {
            foreach (var item in container.Items)
            {
                if (IsLarge(item, maxPayload))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsLarge(PickleValue value, int maxPayload) =>
        (value.AsString is { } text && text.Length > maxPayload) || (value.AsBytes is { } bytes && bytes.Prefix.Length > maxPayload);
}
