using System.Globalization;

namespace PickleGuard.Pickle.Machine;

/// <summary>
/// A symbolic value: small scalars live inline (no allocation per int/float/bool), everything else points to a
/// string, a <see cref="PickleBytes"/>, a <see cref="PickleContainer"/>, a <see cref="PickleGlobal"/> or a
/// <see cref="PickleObject"/>. Together they form a value tree a converter can walk without executing anything.
/// </summary>
public readonly struct PickleValue
{
    private PickleValue(PickleValueKind kind, long scalar, object? reference)
    {
        Kind = kind;
        Scalar = scalar;
        Reference = reference;
    }

    public PickleValueKind Kind { get; }

    /// <summary>Int value, bool (0/1), float bits, or 1 for a str that was kept whole.</summary>
    public long Scalar { get; }

    public object? Reference { get; }

    /// <summary>None is the default value (kind 0, no payload), so it needs no static storage.</summary>
    public static PickleValue None => default;

    public static PickleValue FromBool(bool value) => new(PickleValueKind.Bool, value ? 1 : 0, null);

    public static PickleValue FromInt(long value) => new(PickleValueKind.Int, value, null);

    public static PickleValue FromBigInt(string digits) => new(PickleValueKind.BigInt, 0, digits);

    public static PickleValue FromFloat(double value) => new(PickleValueKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>A str; <paramref name="complete"/> is false when only a prefix of a long payload was kept.</summary>
    public static PickleValue FromStr(string text, bool complete) => new(PickleValueKind.Str, complete ? 1 : 0, text);

    public static PickleValue FromBytes(PickleBytes bytes, bool mutable) => new(mutable ? PickleValueKind.ByteArray : PickleValueKind.Bytes, 0, bytes);

    public static PickleValue FromContainer(PickleContainer container) => new(container.Kind, 0, container);

    public static PickleValue FromGlobal(PickleGlobal global) => new(PickleValueKind.Global, 0, global);

    public static PickleValue FromObject(PickleObject obj) => new(PickleValueKind.Object, 0, obj);

    public static PickleValue FromBuffer() => new(PickleValueKind.Buffer, 0, null);

    /// <summary>A value of a known kind whose content the scan-mode memo did not keep.</summary>
    public static PickleValue Elided(PickleValueKind kind) => new(kind, 0, ElidedValue.Instance);

    /// <summary>
    /// A value the scan-mode memo forgot past its exact budget (<see cref="PickleLimits.MaxExactMemoEntries"/>): it is
    /// plain data unless the memo degraded further, but nothing about it is known, so no check may rely on it.
    /// </summary>
    public static PickleValue Unknown { get; } = Elided(PickleValueKind.Unknown);

    /// <summary>True when only the kind of this value is known (it came back from the scan-mode memo).</summary>
    public bool IsElided => ReferenceEquals(Reference, ElidedValue.Instance);

    public bool AsBool => Scalar != 0;

    public double AsFloat => BitConverter.Int64BitsToDouble(Scalar);

    public string? AsString => Reference as string;

    /// <summary>True for a str whose full text was kept (usable as a constant name).</summary>
    public bool IsCompleteStr => Kind == PickleValueKind.Str && Scalar == 1;

    public PickleContainer? AsContainer => Reference as PickleContainer;

    public PickleGlobal? AsGlobal => Reference as PickleGlobal;

    public PickleObject? AsObject => Reference as PickleObject;

    public PickleBytes? AsBytes => Reference as PickleBytes;

    public override string ToString() => Kind switch
    {
        PickleValueKind.None => "None",
        PickleValueKind.Bool => AsBool ? "True" : "False",
        PickleValueKind.Int => Scalar.ToString(CultureInfo.InvariantCulture),
        PickleValueKind.BigInt => (string)Reference!,
        PickleValueKind.Float => AsFloat.ToString("R", CultureInfo.InvariantCulture),
        _ => Kind.ToString(),
    };
}
