using System.Globalization;

namespace PickleGuard.Pickle.Containers.Formats;

internal sealed partial class PickleWalker
{
    /// <summary>
    /// joblib's <c>NumpyArrayWrapper.write_array</c> puts the array right after the wrapper's BUILD: an object array as
    /// a nested protocol-2 pickle; any other array as an optional padding-length byte plus padding (when the state has
    /// <c>numpy_array_alignment_bytes</c>), then <c>prod(shape) * itemsize</c> raw bytes.
    /// </summary>
    private void ReadInBandArray(WalkValue state)
    {
        var shape = state.Lookup("shape");
        var dtype = state.Lookup("dtype");
        if (shape?.Kind != WalkValueKind.Tuple || shape.Items is null || dtype is null)
        {
            throw new InvalidDataException("NumpyArrayWrapper without a shape or dtype");
        }

        long count = 1;
        foreach (var dimension in shape.Items)
        {
            count = dimension.Kind == WalkValueKind.Integer && dimension.Integer >= 0
                ? checked(count * dimension.Integer)
                : throw new InvalidDataException("array shape is not a tuple of integers");
        }

        var (itemSize, hasObject) = DescribeDtype(dtype);
        var start = stream.Position;
        if (hasObject)
        {
            var nested = new PickleWalker(stream);
            if (nested.Run() is null)
            {
                throw new InvalidDataException("object array pickle is malformed");
            }

            Arrays.Add(new InBandArray(start, stream.Position - start, IsPickle: true));
            return;
        }

        if (state.Lookup("numpy_array_alignment_bytes") is { Kind: WalkValueKind.Integer })
        {
            SkipPayload(ReadBytes(1)[0]);
        }

        SkipPayload(checked(count * itemSize));
        Arrays.Add(new InBandArray(start, stream.Position - start, IsPickle: false));
    }

    /// <summary>
    /// Item size and whether the dtype holds Python objects, from <c>numpy.dtype(typestr, align, copy)</c> and its BUILD
    /// state <c>(version, byteorder, subarray, names, fields, elsize, alignment, flags)</c>.
    /// </summary>
    internal static (long ItemSize, bool HasObject) DescribeDtype(WalkValue dtype)
    {
        if (dtype.Kind != WalkValueKind.Call || dtype.Arguments?.Items is not [{ Kind: WalkValueKind.String } typeString, ..])
        {
            throw new InvalidDataException("dtype is not numpy.dtype(...)");
        }

        var type = typeString.Text!;
        var state = dtype.State?.Items;
        var flags = state is { Count: >= 8 } && state[7].Kind == WalkValueKind.Integer ? state[7].Integer : 0;
        var hasObject = type.StartsWith('O') || (flags & 1) != 0;
        if (state is { Count: >= 6 } && state[5] is { Kind: WalkValueKind.Integer, Integer: > 0 } elementSize)
        {
            return (elementSize.Integer, hasObject);
        }

        var digits = type.AsSpan().TrimStart("<>|=").Slice(1);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
        {
            throw new InvalidDataException($"dtype '{type}' has no item size");
        }

        return (type.TrimStart('<', '>', '|', '=').StartsWith('U') ? size * 4 : size, hasObject);
    }
}
