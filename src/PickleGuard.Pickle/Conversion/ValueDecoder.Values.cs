using System.Numerics;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Reading plain values out of argument tuples.</summary>
internal sealed partial class ValueDecoder
{
    /// <summary>The items of a tuple (or list) argument; null for anything else.</summary>
    private static IReadOnlyList<PickleValue>? Items(PickleValue value) =>
        value.AsContainer is { Kind: PickleValueKind.Tuple or PickleValueKind.List } container ? container.Items : null;

    private static PickleValue Tuple(PickleValue[] items)
    {
        var tuple = new PickleContainer(PickleValueKind.Tuple);
        foreach (var item in items)
        {
            tuple.Add(item, int.MaxValue);
        }

        return PickleValue.FromContainer(tuple);
    }

    private static bool IsNumber(PickleValue value) => value.Kind is PickleValueKind.Float or PickleValueKind.Int or PickleValueKind.Bool;

    private static bool TryInt(PickleValue value, out long result)
    {
        result = value.Scalar;
        return value.Kind is PickleValueKind.Int;
    }

    private static bool TryBigInt(PickleValue value, out BigInteger result)
    {
        result = default;
        return value.Kind switch
        {
            PickleValueKind.Int => (result = value.Scalar) == value.Scalar,
            PickleValueKind.BigInt => BigInteger.TryParse(value.AsString, System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out result),
            _ => false,
        };
    }

    /// <summary>
    /// The bytes a value stands for: a bytes constant, an allowed call that builds bytes, or (when
    /// <paramref name="allowText"/>, as Python 2 pickles and protocol 0-2 state strings are) a str of code points &lt; 256.
    /// </summary>
    private byte[]? BytesOf(PickleValue value, bool allowText) => value.Kind switch
    {
        PickleValueKind.Bytes when value.AsBytes!.IsComplete => value.AsBytes!.Prefix,
        PickleValueKind.Object when Decode(value.AsObject!) is { Kind: DecodedKind.Bytes } bytes => bytes.Data,
        PickleValueKind.Str when allowText && value.IsCompleteStr => Latin1(value.AsString!),
        _ => null,
    };

    private static byte[]? Latin1(string text)
    {
        var data = new byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] > 0xFF)
            {
                return null;
            }

            data[i] = (byte)text[i];
        }

        return data;
    }

    private static DecodedObject? DecodeUuid(IReadOnlyList<PickleValue> a, PickleValue? state)
    {
        if (a.Count != 0 || state?.AsContainer is not { Kind: PickleValueKind.Dict } dict)
        {
            return null;
        }

        for (int i = 0; i + 1 < dict.Items.Count; i += 2)
        {
            if (dict.Items[i].AsString == "int" && TryBigInt(dict.Items[i + 1], out var number) && number.Sign >= 0 && number < BigInteger.One << 128)
            {
                var hex = number.ToString("x32", System.Globalization.CultureInfo.InvariantCulture)[^32..];
                var text = $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
                return new DecodedObject(DecodedKind.Uuid) { Text = text };
            }
        }

        return null;
    }
}
