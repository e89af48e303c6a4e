namespace PickleGuard.Pickle.Conversion;

/// <summary>How <see cref="PickleJsonConverter"/> converts.</summary>
/// <param name="AllowedClasses">Dotted names the user accepts as opaque <c>{"$object": ...}</c> values although they
/// are not on the policy's allowlist. Dangerous globals can never be accepted (see <see cref="PickleJsonConverter.CheckAllowable"/>).</param>
/// <param name="NanAsString">Write NaN and ±infinity as the JSON strings <c>"NaN"</c>, <c>"Infinity"</c>,
/// <c>"-Infinity"</c> instead of the tagged <c>{"$float": "nan"}</c> (lossy: they read back as strings).</param>
/// <param name="Indented">Pretty-print the JSON.</param>
/// <param name="MaxDepth">Deepest nesting of Python values that is converted (Python's own recursion limit is 1000).</param>
/// <param name="MaxOutputValues">Most values written: a guard against tiny pickles that expand into huge output through
/// shared immutable values ("billion laughs"). Null: 64 per byte of pickle, at least 16 million.</param>
/// <param name="MaxOutputTextBytes">Most characters of str and bytes of bytes (and digits of big ints, decimals…) written:
/// one long str fetched from the memo many times is written out each time. Null: 16 per byte of pickle, at least 256 MiB.</param>
/// <param name="MaxArrayBytesInMemory">Bytes of joblib's raw array data kept in memory while the value is rebuilt; the rest
/// goes to a temporary file that is deleted at the end (16 MiB).</param>
public sealed record ConversionOptions(
    IReadOnlySet<string> AllowedClasses,
    bool NanAsString = false,
    bool Indented = false,
    int MaxDepth = 900,
    long? MaxOutputValues = null,
    long? MaxOutputTextBytes = null,
    long MaxArrayBytesInMemory = 16L << 20)
{
    public static ConversionOptions Default { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>The value limit for a pickle of <paramref name="pickleBytes"/> bytes.</summary>
    public long OutputValueLimit(long pickleBytes) => MaxOutputValues ?? Math.Max(16_000_000, 64 * pickleBytes);

    /// <summary>The text and bytes limit for a pickle of <paramref name="pickleBytes"/> bytes.</summary>
    public long OutputTextLimit(long pickleBytes) => MaxOutputTextBytes ?? Math.Max(256L << 20, 16 * pickleBytes);
}
