using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// NumPy arrays as <c>ndarray.__reduce__</c> writes them: <c>_reconstruct(ndarray, (0,), b'b')</c> then BUILD with
/// <c>(version, shape, dtype, is_fortran, data)</c>, where dtype is <c>numpy.dtype(code, False, True)</c> built with
/// <c>(version, byteorder, subarray, names, fields, elsize, alignment, flags)</c>; data is raw bytes, or a list for
/// object arrays. Scalars are <c>scalar(dtype, raw_bytes)</c>.
/// </summary>
internal sealed partial class ValueDecoder
{
    private DecodedObject? DecodeNdArray(IReadOnlyList<PickleValue> a, PickleValue? state)
    {
        if (a is not [{ Kind: PickleValueKind.Global } cls, _, _] || cls.AsGlobal!.ResolvedName != "numpy.ndarray"
            || Items(state ?? PickleValue.None) is not { } s)
        {
            return null;
        }

        // Version 1 states lead with the version number; older ones do not.
        var fields = s.Count == 5 ? s.Skip(1).ToList() : s.Count == 4 ? [.. s] : null;
        if (fields is null || Items(fields[0]) is not { } shapeItems || DtypeText(fields[1]) is not { } dtype || fields[2].Kind != PickleValueKind.Bool)
        {
            return null;
        }

        var shape = new long[shapeItems.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (!TryInt(shapeItems[i], out shape[i]) || shape[i] < 0)
            {
                return null;
            }
        }

        string order = fields[2].AsBool ? "F" : "C";
        if (fields[3].AsContainer is { Kind: PickleValueKind.List } objects)
        {
            return new DecodedObject(DecodedKind.NdArray) { Text = dtype, Numbers = shape, Name = order, Extra = PickleValue.FromContainer(objects) };
        }

        return BytesOf(fields[3], allowText: true) is { } data
            ? new DecodedObject(DecodedKind.NdArray) { Text = dtype, Numbers = shape, Name = order, Data = data }
            : null;
    }

    private DecodedObject? DecodeScalar(IReadOnlyList<PickleValue> a)
    {
        if (a is not [var dtypeValue, var raw] || DtypeText(dtypeValue) is not { } dtype || dtype == "|O" || BytesOf(raw, allowText: true) is not { } data)
        {
            return null;
        }

        return new DecodedObject(DecodedKind.NdArray) { Text = dtype, Numbers = [], Name = "C", Data = data, IsScalar = true };
    }

    /// <summary>The array-protocol type string (<c>&lt;f8</c>, <c>|b1</c>, <c>|O</c>) of a plain, unstructured dtype.</summary>
    private static string? DtypeText(PickleValue value)
    {
        if (value.AsObject is not { } obj || obj.Callable.AsGlobal?.ResolvedName != "numpy.dtype"
            || Items(obj.Arguments) is not [{ IsCompleteStr: true } code, ..] || Items(obj.State ?? PickleValue.None) is not { Count: >= 5 } state
            || state[1].AsString is not { Length: 1 } byteOrder || state[2].Kind != PickleValueKind.None || state[3].Kind != PickleValueKind.None)
        {
            return null;
        }

        var text = code.AsString!;
        if (text.StartsWith('O'))
        {
            return "|O";
        }

        if (text.Length < 2 || !char.IsAsciiLetter(text[0]) || text.AsSpan(1).ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        // '=' is the pickling machine's native order; NumPy writes '<' or '>' for multi-byte types in practice.
        return byteOrder switch
        {
            "<" or "=" => "<" + text,
            ">" => ">" + text,
            "|" => "|" + text,
            _ => null,
        };
    }
}
