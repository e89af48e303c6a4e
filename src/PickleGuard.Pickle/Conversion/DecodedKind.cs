namespace PickleGuard.Pickle.Conversion;

/// <summary>What a call in the pickle (REDUCE, NEWOBJ…) of a known, allowed callable stands for.</summary>
internal enum DecodedKind : byte
{
    Bytes,
    ByteArray,
    Set,
    FrozenSet,
    Complex,
    Decimal,
    DateTime,
    Date,
    Time,
    TimeDelta,
    TimeZone,
    OrderedDict,
    DefaultDict,
    Deque,
    Counter,
    Uuid,
    NdArray,
    /// <summary>A value that is allowed but that JSON cannot hold faithfully (its <c>Text</c> says why): the conversion is refused.</summary>
    Unrepresentable,
    /// <summary>Any other allowed (or user-allowed) class: written as an opaque <c>$object</c>.</summary>
    Opaque,
}
