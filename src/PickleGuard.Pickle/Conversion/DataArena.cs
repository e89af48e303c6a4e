namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// The decoded values of a plain-data pickle in a compact, flat form: a value is an <see cref="int"/> reference instead
/// of an object. A non-negative reference indexes the value table (one kind byte and one 8-byte payload per value); a
/// negative one is an int small enough to live in the reference itself, so most ints cost nothing beyond the slot that
/// holds them. Text and bytes are copied once into large heap chunks (UTF-8, length-prefixed), container items into
/// item chunks (4 bytes per item), so memory is a small constant per value instead of an object per value.
/// </summary>
internal sealed partial class DataArena
{
    /// <summary>References below zero are inline ints: <c>value = reference + InlineBias</c>.</summary>
    private const long InlineBias = 1L << 31;

    private readonly ChunkedList<ArenaKind> _kinds = new();
    private readonly ChunkedList<long> _payloads = new();

    public DataArena()
    {
        AddValue(ArenaKind.None, 0);
        AddValue(ArenaKind.True, 0);
        AddValue(ArenaKind.False, 0);
    }

    public const int NoneRef = 0;
    public const int TrueRef = 1;
    public const int FalseRef = 2;

    /// <summary>Entries of the value table (inline ints are not counted).</summary>
    public int ValueCount => _kinds.Count;

    public static bool IsInline(int reference) => reference < 0;

    public ArenaKind Kind(int reference) => reference < 0 ? ArenaKind.Int : _kinds[reference];

    /// <summary>An int value (inline or from the table).</summary>
    public long Int(int reference) => reference < 0 ? reference + InlineBias : _payloads[reference];

    public double Float(int reference) => BitConverter.Int64BitsToDouble(_payloads[reference]);

    /// <summary>Ints from 0 to 2^31 - 1 (most ints in real data) are inline; others take a table entry.</summary>
    public int AddInt(long value) => value >= 0 && value < InlineBias ? (int)(value - InlineBias) : AddValue(ArenaKind.Int, value);

    public int AddFloat(double value) => AddValue(ArenaKind.Float, BitConverter.DoubleToInt64Bits(value));

    private int AddValue(ArenaKind kind, long payload)
    {
        _payloads.Add(payload);
        return _kinds.Add(kind);
    }
}
