namespace PickleGuard.Pickle.Conversion;

/// <summary>What one value of a <see cref="DataArena"/> is.</summary>
internal enum ArenaKind : byte
{
    None,
    True,
    False,
    Int,
    /// <summary>An int beyond a long: its decimal digits are on the heap.</summary>
    BigInt,
    Float,
    /// <summary>A well-formed str, stored as UTF-8 on the heap.</summary>
    Str,
    /// <summary>A str with lone surrogates (no UTF-8 form), stored as UTF-16 code units on the heap.</summary>
    StrUtf16,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
}
