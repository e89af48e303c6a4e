using System.Numerics;

namespace PickleGuard.Python;

/// <summary>The value of a <see cref="ConstantExpr"/>: a string, bytes, <see cref="BigInteger"/>, double,
/// <see cref="System.Numerics.Complex"/>, or one of the singletons.</summary>
public readonly struct ConstantValue
{
    /// <summary>0..255 boxed once: most integer literals are small, and each would otherwise box its own copy.</summary>
    private static readonly object[] SmallIntegers = Enumerable.Range(0, 256).Select(i => (object)new BigInteger(i)).ToArray();

    private readonly object? _value;

    private ConstantValue(ConstantType type, object? value)
    {
        Type = type;
        _value = value;
    }

    public ConstantType Type { get; }

    public static ConstantValue None => new(ConstantType.None, null);

    public static ConstantValue True => new(ConstantType.True, null);

    public static ConstantValue False => new(ConstantType.False, null);

    public static ConstantValue Ellipsis => new(ConstantType.Ellipsis, null);

    /// <summary>The decoded string when <see cref="Type"/> is <see cref="ConstantType.Str"/>, else null.</summary>
    public string? AsString => _value as string;

    /// <summary>The bytes when <see cref="Type"/> is <see cref="ConstantType.Bytes"/>, else null.</summary>
    public byte[]? AsBytes => _value as byte[];

    public BigInteger AsInteger => _value is BigInteger i ? i : BigInteger.Zero;

    public double AsFloat => _value is double d ? d : 0;

    public Complex AsComplex => _value is Complex c ? c : Complex.Zero;

    public static ConstantValue FromString(string value) => new(ConstantType.Str, value);

    public static ConstantValue FromBytes(byte[] value) => new(ConstantType.Bytes, value);

    public static ConstantValue FromInteger(BigInteger value) =>
        new(ConstantType.Int, value.Sign >= 0 && value < SmallIntegers.Length ? SmallIntegers[(int)value] : value);

    public static ConstantValue FromFloat(double value) => new(ConstantType.Float, value);

    public static ConstantValue FromComplex(Complex value) => new(ConstantType.Complex, value);
}
