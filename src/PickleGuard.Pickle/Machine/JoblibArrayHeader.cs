namespace PickleGuard.Pickle.Machine;

/// <summary>
/// What the state of a <c>joblib.numpy_pickle.NumpyArrayWrapper</c> says about the array whose bytes follow its BUILD:
/// how many items of what size (so the machine knows how far to skip), and the raw header values
/// (<c>subclass</c>, <c>shape</c>, <c>order</c>, <c>dtype</c>) a conversion needs to describe the array.
/// </summary>
/// <param name="Count">Number of items (the product of the shape; 1 for a 0-d array).</param>
/// <param name="ItemSize">Bytes per item as NumPy reads them (0 for object arrays).</param>
/// <param name="HasObjects">An object array: joblib pickles it in-band instead of writing raw bytes.</param>
/// <param name="Aligned">The state has <c>numpy_array_alignment_bytes</c>: a padding-length byte and padding come first.</param>
/// <param name="Shape">The shape tuple, all constant non-negative ints.</param>
internal readonly record struct JoblibArrayHeader(long Count, long ItemSize, bool HasObjects, bool Aligned, PickleContainer Shape,
    PickleValue Dtype, PickleValue Order, PickleValue Subclass);
