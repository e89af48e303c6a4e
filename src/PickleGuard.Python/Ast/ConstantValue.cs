using System.Numerics;

namespace PickleGuard.Python;

/// <summary>The value of a <see cref="ConstantExpr"/>: a string, bytes, <see cref="BigInteger"/>, double,
/// <see cref="System.Numerics.Complex"/>, or one of the singletons.</summary>
public readonly struct ConstantValue
{
    /// <summary>0..255 boxed once: most integer literals are small, and each would otherwise box its own copy.</summary>
    private static readonly object[] SmallIntegers = Enumerable.Range(0, 256).Select(i => (object)new BigInteger(i)).ToArray();

    // The singletons' values; None is null. The type follows from the object held, so a constant is one reference
    // and a ConstantExpr, one node in four, is 8 bytes smaller than with a type field beside it.
    private static readonly object TrueValue = new();
    private static readonly object FalseValue = new();
    private static readonly object EllipsisValue = new();

    private readonly object? _value;

    private ConstantValue(object? value) => _value = value;

    public ConstantType Type => _value switch
    {
        string or SourceSlice => ConstantType.Str,
        BigInteger => ConstantType.Int,
        null => ConstantType.None,
        byte[] => ConstantType.Bytes,
        double => ConstantType.Float,
        Complex => ConstantType.Complex,
        _ when _value == TrueValue => ConstantType.True,
        _ when _value == FalseValue => ConstantType.False,
        _ => ConstantType.Ellipsis,
    };

    public static ConstantValue None => default;

    public static ConstantValue True => new(TrueValue);

    public static ConstantValue False => new(FalseValue);

    public static ConstantValue Ellipsis => new(EllipsisValue);

    /// <summary>The decoded string when <see cref="Type"/> is <see cref="ConstantType.Str"/>, else null.</summary>
    public string? AsString => _value as string ?? (_value as SourceSlice)?.Text;

    /// <summary>The bytes when <see cref="Type"/> is <see cref="ConstantType.Bytes"/>, else null.</summary>
    public byte[]? AsBytes => _value as byte[];

    public BigInteger AsInteger => _value is BigInteger i ? i : BigInteger.Zero;

    public double AsFloat => _value is double d ? d : 0;

    public Complex AsComplex => _value is Complex c ? c : Complex.Zero;

    public static ConstantValue FromString(string value) => new(value);

    /// <summary>A str whose value is <paramref name="length"/> chars of <paramref name="source"/>, made when first read.</summary>
    internal static ConstantValue FromSource(string source, int start, int length) => new(new SourceSlice(source, start, length));

    public static ConstantValue FromBytes(byte[] value) => new(value);

    public static ConstantValue FromInteger(BigInteger value) =>
        new(value.Sign >= 0 && value < SmallIntegers.Length ? SmallIntegers[(int)value] : value);

    public static ConstantValue FromFloat(double value) => new(value);

    public static ConstantValue FromComplex(Complex value) => new(value);
}
