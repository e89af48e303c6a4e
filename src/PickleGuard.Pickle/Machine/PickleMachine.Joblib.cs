
namespace PickleGuard.Pickle.Machine;

/// <summary>
/// joblib writes NumPy arrays in-band: after the BUILD of a <c>joblib.numpy_pickle.NumpyArrayWrapper</c> the raw array
/// bytes follow in the stream (after an alignment padding byte when the state has <c>numpy_array_alignment_bytes</c>),
/// and for object arrays a whole nested pickle follows instead. joblib's unpickler reads them right after that BUILD,
/// so the machine skips the raw bytes (they are never executed) and scans the nested pickle.
/// </summary>
public sealed partial class PickleMachine
{
    private const string JoblibArrayWrapper = "joblib.numpy_pickle.NumpyArrayWrapper";

    private void ReadJoblibArray(PickleValue state, long at)
    {
        if (!TryDescribeArray(state, out long count, out long itemSize, out bool hasObjects, out bool aligned, out string why))
        {
            Malformed(at, $"the joblib array at offset {at} cannot be skipped ({why}); the raw array data that follows is not a pickle");
            return;
        }

        if (hasObjects)
        {
            RunEmbeddedPickle(at);
            return;
        }

        if (aligned)
        {
            int padding = _reader.ReadRawByte();
            if (padding < 0 || (padding > 0 && !_reader.SkipRaw(padding)))
            {
                Malformed(at, $"the joblib array at offset {at} is truncated (alignment padding)");
                return;
            }
        }

        long bytes = count * itemSize;
        if (count < 0 || itemSize <= 0 || (count > 0 && bytes / count != itemSize) || !_reader.SkipRaw(bytes))
        {
            Malformed(at, $"the joblib array at offset {at} declares {count} items of {itemSize} bytes, more than the stream holds");
        }
    }

    private static bool TryDescribeArray(PickleValue state, out long count, out long itemSize, out bool hasObjects, out bool aligned, out string why)
    {
        count = 1;
        itemSize = 0;
        hasObjects = false;
        aligned = false;
        why = "";
        var dict = state.AsContainer;
        if (dict is not { Kind: PickleValueKind.Dict } || !dict.IsComplete)
        {
            why = "its state is not a plain dict";
            return false;
        }

        PickleValue shape = default, dtype = default;
        for (int i = 0; i + 1 < dict.Items.Count; i += 2)
        {
            switch (dict.Items[i].AsString)
            {
                case "shape": shape = dict.Items[i + 1]; break;
                case "dtype": dtype = dict.Items[i + 1]; break;
                case "numpy_array_alignment_bytes": aligned = dict.Items[i + 1].Kind != PickleValueKind.None; break;
            }
        }

        if (shape.AsContainer is not { Kind: PickleValueKind.Tuple, IsComplete: true } dims)
        {
            why = "the shape is not a constant tuple";
            return false;
        }

        foreach (var dim in dims.Items)
        {
            if (dim.Kind != PickleValueKind.Int || dim.Scalar < 0)
            {
                why = "a dimension is not a constant int";
                return false;
            }

            count = dim.Scalar == 0 ? 0 : (count > long.MaxValue / dim.Scalar ? -1 : count * dim.Scalar);
            if (count < 0)
            {
                why = "the shape overflows";
                return false;
            }
        }

        return TryItemSize(dtype, out itemSize, out hasObjects, ref why);
    }

    /// <summary>Item size of a <c>numpy.dtype(code, False, True)</c> object with its BUILD state <c>(3, '&lt;', …, elsize, alignment, flags)</c>.</summary>
    private static bool TryItemSize(PickleValue dtype, out long itemSize, out bool hasObjects, ref string why)
    {
        itemSize = 0;
        hasObjects = false;
        var obj = dtype.AsObject;
        var args = obj?.Arguments.AsContainer;
        if (obj is null || args is not { Kind: PickleValueKind.Tuple } || args.Items.Count == 0 || !args.Items[0].IsCompleteStr)
        {
            why = "the dtype is not a constant numpy.dtype";
            return false;
        }

        var code = args.Items[0].AsString!;
        if (obj.State?.AsContainer is { Kind: PickleValueKind.Tuple } st && st.Items.Count >= 8)
        {
            if (st.Items[5].Kind == PickleValueKind.Int && st.Items[5].Scalar > 0)
            {
                itemSize = st.Items[5].Scalar;
            }

            // NPY_ITEM_REFCOUNT (flag 1): the array holds Python objects, which joblib pickles in-band.
            hasObjects = st.Items[7].Kind == PickleValueKind.Int && (st.Items[7].Scalar & 1) != 0;
        }

        if (code.Length > 0 && code[0] == 'O')
        {
            hasObjects = true;
        }

        if (itemSize == 0 && code.Length > 1 && long.TryParse(code.AsSpan(1), out long size))
        {
            itemSize = code[0] == 'U' ? size * 4 : size;
        }

        if (itemSize == 0 && !hasObjects)
        {
            why = $"the item size of dtype '{code}' is unknown";
            return false;
        }

        return true;
    }

    private void RunEmbeddedPickle(long at)
    {
        if (_nestingDepth >= _limits.MaxNestedDepth)
        {
            Fail(PickleRules.ResourceLimit, at, $"in-band pickles are nested more than {_limits.MaxNestedDepth} levels deep at offset {at}");
            return;
        }

        // Same reader, same findings; a separate stack (joblib calls pickle.load on the same file).
        var nested = new PickleMachine(this);
        long opcodes = 0;
        if (!nested.RunOnePickle(0, ref opcodes))
        {
            Fail(PickleRules.Malformed, _reader.Position, $"the in-band pickle of the joblib object array at offset {at} is broken");
        }
    }

    private PickleMachine(PickleMachine parent)
    {
        _policy = parent._policy;
        _limits = parent._limits;
        _recordEvents = parent._recordEvents;
        _events = parent._events;
        _log = parent._log;
        _globals = parent._globals;
        _globalIndex = parent._globalIndex;
        _results = [];
        _memo = new MemoTable(parent._memo.RetainsAll);
        _reader = parent._reader;
        _nestingDepth = parent._nestingDepth + 1;
        _nextObjectId = parent._nextObjectId + 1_000_000;
    }

}
