using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// The meaning of one <see cref="PickleObject"/>, worked out from its callable, arguments and state without running
/// anything. Child values stay <see cref="PickleValue"/>s so the writer converts them the same way as everything else.
/// </summary>
internal sealed class DecodedObject(DecodedKind kind)
{
    public DecodedKind Kind { get; } = kind;

    /// <summary>ISO text (datetime family), decimal digits, UUID, dtype, or the class name of an opaque object.</summary>
    public string? Text { get; init; }

    /// <summary>Raw bytes: bytes/bytearray content, ndarray data.</summary>
    public byte[]? Data { get; init; }

    /// <summary>ndarray data that joblib wrote as raw bytes next to the opcodes, kept in segments (instead of <see cref="Data"/>).</summary>
    public JoblibArray? RawArray { get; init; }

    /// <summary>Set/deque items, opaque args; for dict-like kinds keys and values alternating.</summary>
    public IReadOnlyList<PickleValue> Items { get; init; } = [];

    /// <summary>Numbers: timedelta (days, seconds, microseconds), ndarray shape, datetime fold.</summary>
    public long[] Numbers { get; init; } = [];

    /// <summary>complex (real, imag), as floats.</summary>
    public PickleValue First { get; init; } = PickleValue.None;

    public PickleValue Second { get; init; } = PickleValue.None;

    /// <summary>defaultdict factory, deque maxlen, tzinfo that is not a fixed offset, object-array data, opaque state.</summary>
    public PickleValue? Extra { get; init; }

    /// <summary>Opaque objects: keyword arguments (NEWOBJ_EX) and list/dict items added after creation.</summary>
    public PickleValue? Keywords { get; init; }

    public PickleContainer? AddedItems { get; init; }

    /// <summary>A numpy scalar (0-d, read back as a scalar, not an array).</summary>
    public bool IsScalar { get; init; }

    /// <summary>A time zone name (timezone(offset, name)) or the ndarray memory order.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Mutable values and frozensets keep their identity when shared ($id/$ref); other immutable values (bytes, numbers,
    /// dates…) are written again.
    /// </summary>
    public bool KeepsIdentity => Kind is DecodedKind.ByteArray or DecodedKind.Set or DecodedKind.FrozenSet or DecodedKind.OrderedDict or DecodedKind.DefaultDict
        or DecodedKind.Deque or DecodedKind.Counter or DecodedKind.NdArray or DecodedKind.Opaque;
}
