using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// joblib's in-band NumPy arrays: a <c>joblib.numpy_pickle.NumpyArrayWrapper</c> whose BUILD state holds
/// <c>subclass</c>, <c>shape</c>, <c>order</c> and <c>dtype</c>, followed in the stream by the raw array bytes (kept by
/// the machine in a conversion run) or, for object arrays, by a whole pickle of the array. joblib.load replaces the
/// wrapper with the array, so the wrapper is written as the same <c>$ndarray</c> that <c>_reconstruct</c> arrays become.
/// </summary>
internal sealed partial class ValueDecoder
{
    private DecodedObject DecodeJoblibArray(JoblibArray array)
    {
        string where = $"the joblib array read after offset {array.ByteOffset}";
        if (array.Reads > 1)
        {
            return Refuse($"{where} belongs to a wrapper built {array.Reads} times; joblib.load builds the array from the first and then applies the others to the array itself");
        }

        if (array.Objects is { } objects)
        {
            // joblib pickles object arrays with ndarray.__reduce__: the nested pickle's value is an ordinary array.
            return objects.AsObject is { } nested && Decode(nested) is { Kind: DecodedKind.NdArray, Extra: not null } decoded
                ? decoded
                : Refuse($"{where} is an object array whose in-band pickle is not a NumPy object array");
        }

        var header = array.Header;
        // joblib.load returns a plain ndarray for these two; other subclasses are rebuilt around it, which JSON cannot say.
        if (header.Subclass.AsGlobal?.ResolvedName is not ("numpy.ndarray" or "numpy.memmap" or "numpy.core.memmap.memmap" or "numpy._core.memmap.memmap"))
        {
            return Refuse($"{where} is of subclass {(header.Subclass.AsGlobal?.ResolvedName ?? "(not a class)")}; convert writes plain numpy.ndarray (and memmap) arrays only");
        }

        if (DtypeText(header.Dtype) is not { } dtype || dtype == "|O")
        {
            return Refuse($"{where} has a dtype convert cannot describe (structured, datetime or with a type code it does not know)");
        }

        if (header.Order.AsString is not ("C" or "F") || !header.Order.IsCompleteStr)
        {
            return Refuse($"{where} has order {header.Order.AsString ?? "(not a str)"}; joblib writes 'C' or 'F'");
        }

        // The machine read count × the item size the dtype's state claims (NumPy takes it for S, U and V types): the
        // type string written must describe items of that size, or the data would not fit the shape.
        long itemSize = DtypeItemSize(dtype);
        if (itemSize != header.ItemSize)
        {
            return Refuse($"{where} has dtype {dtype} ({itemSize} bytes per item), but its dtype state makes joblib read {header.ItemSize} bytes per item ({array.Length} bytes for {header.Count} items)");
        }

        var shape = new long[header.Shape.Items.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = header.Shape.Items[i].Scalar;
        }

        return new DecodedObject(DecodedKind.NdArray) { Text = dtype, Numbers = shape, Name = header.Order.AsString, RawArray = array };
    }

    /// <summary>Bytes per item of an array-protocol type string (<c>&lt;f8</c> 8, <c>&lt;U3</c> 12); 0 when unknown.</summary>
    private static long DtypeItemSize(string dtype) =>
        long.TryParse(dtype.AsSpan(2), out long size) ? (dtype[1] == 'U' ? size * 4 : size) : 0;

    /// <summary>The bytes of one segment of a joblib array (from memory, or read back from the spill file into <paramref name="scratch"/>).</summary>
    public ReadOnlySpan<byte> ReadArraySegment(JoblibArraySegment segment, byte[] scratch) => joblibArrays!.Read(segment, scratch);

    private static DecodedObject Refuse(string why) => new(DecodedKind.Unrepresentable) { Text = why };
}
