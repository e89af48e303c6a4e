using PickleGuard.Core;

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

    // joblib < 0.10 wrote arrays to sibling files; its loader still opens them: np.load(path, allow_pickle=True), or open() + zlib.
    private static readonly HashSet<string> JoblibFileWrappers = new(StringComparer.Ordinal)
    {
        "joblib.numpy_pickle.NDArrayWrapper", "joblib.numpy_pickle_compat.NDArrayWrapper",
        "joblib.numpy_pickle.ZNDArrayWrapper", "joblib.numpy_pickle_compat.ZNDArrayWrapper",
    };

    /// <summary>
    /// The class a BUILD target is an instance of: the called class, or the class argument of the copyreg helpers that
    /// instantiate it (<c>_reconstructor(cls, base, state)</c>, <c>__newobj__(cls, ...)</c>). joblib's unpickler checks
    /// <c>isinstance</c> after every BUILD, so however the wrapper was created its array bytes follow.
    /// </summary>
    private static PickleGlobal? InstanceClass(PickleObject obj)
    {
        var callable = obj.Callable.AsGlobal;
        if (callable?.ResolvedName is "copyreg._reconstructor" or "copyreg.__newobj__" or "copyreg.__newobj_ex__"
            && obj.Arguments.AsContainer is { Kind: PickleValueKind.Tuple, Items.Count: > 0 } args)
        {
            return args.Items[0].AsGlobal;
        }

        return callable;
    }

    private void CheckBuildContract(PickleObject obj, PickleValue state, long at)
    {
        // BUILD with (state, slotstate) runs setattr(obj, key, value) for the slot part: '__class__' there changes the type
        // of an object after it was vetted (into joblib's array wrapper, for instance). Picklers never write it.
        if (state.AsContainer is { Kind: PickleValueKind.Tuple, Items.Count: 2 } pair && pair.Items[1].AsContainer is { Kind: PickleValueKind.Dict } slots
            && Keys(slots).Contains("__class__"))
        {
            _log.Add(new MachineProblem(PickleRules.CallContract, Severity.High, at,
                $"BUILD at offset {at} assigns __class__ through its slot state: the object's type changes after it was created, so what it does next was never vetted"));
        }

        var cls = InstanceClass(obj)?.ResolvedName;
        CheckBuildStateSetsClass(cls, state, at);
        if (cls == JoblibArrayWrapper)
        {
            ReadJoblibArray(obj, state, at);
        }
        else if (cls is not null && JoblibFileWrappers.Contains(cls))
        {
            CheckJoblibSiblingFile(cls, state, at);
        }
    }

    private static IEnumerable<string?> Keys(PickleContainer dict)
    {
        for (int i = 0; i < dict.Items.Count; i += 2)
        {
            yield return dict.Items[i].AsString;
        }
    }

    /// <summary>
    /// joblib.load opens <c>os.path.join(dirname, state['filename'])</c> for the legacy wrappers and unpickles it
    /// (<c>np.load(..., allow_pickle=True)</c>). A bare file name is a sibling file the user can scan; a path (absolute,
    /// with separators, a drive, or '..') reaches any file on the machine.
    /// </summary>
    private void CheckJoblibSiblingFile(string cls, PickleValue state, long at)
    {
        string? file = null;
        bool known = false;
        if (DictParts(state) is { } parts)
        {
            known = true;
            foreach (var dict in parts)
            {
                for (int i = 0; i + 1 < dict.Items.Count; i += 2)
                {
                    if (dict.Items[i].AsString == "filename")
                    {
                        file = dict.Items[i + 1].IsCompleteStr ? dict.Items[i + 1].AsString : null;
                        known = file is not null;
                    }
                }
            }
        }

        if (known && file is { Length: > 0 } name && name != ".." && name.IndexOfAny(['/', '\\', ':']) < 0)
        {
            _log.Add(new MachineProblem(PickleRules.CallContract, Severity.Info, at,
                $"{cls} at offset {at}: joblib.load also loads the sibling file '{name}' with numpy.load(allow_pickle=True); scan that file too", cls));
            return;
        }

        _log.Add(new MachineProblem(PickleRules.CallContract, Severity.High, at,
            $"{cls} at offset {at} makes joblib.load open {(file is null ? "a file named by a value this scan cannot read" : $"'{file}'")} and read it (NDArrayWrapper unpickles it with numpy.load(allow_pickle=True)): a path chosen by the pickle reaches any file on the machine", cls));
    }

    /// <summary>The dict parts of a BUILD state: the dict, or both dicts of a (state, slotstate) pair. Null when not plain.</summary>
    private static List<PickleContainer>? DictParts(PickleValue state)
    {
        if (state.AsContainer is { Kind: PickleValueKind.Dict, IsComplete: true } dict)
        {
            return [dict];
        }

        if (state.AsContainer is { Kind: PickleValueKind.Tuple, Items.Count: 2 } pair)
        {
            var parts = new List<PickleContainer>();
            foreach (var part in pair.Items)
            {
                if (part.AsContainer is { Kind: PickleValueKind.Dict, IsComplete: true } d)
                {
                    parts.Add(d);
                }
                else if (part.Kind != PickleValueKind.None)
                {
                    return null;
                }
            }

            return parts;
        }

        return null;
    }

    private void ReadJoblibArray(PickleObject wrapper, PickleValue state, long at)
    {
        if (_frameEnd >= 0 && _reader.Position < _frameEnd)
        {
            // joblib's unpickler (pickle.py) has already read the whole frame: it reads the array from the end of the frame
            // and only then runs the rest of the frame as opcodes. A linear reader sees those opcodes as array bytes.
            _failure ??= new MachineProblem(PickleRules.Malformed, Severity.High, at,
                $"the joblib array wrapper built at offset {at} is followed by {_frameEnd - _reader.Position} more bytes of its FRAME: joblib.load reads the array from offset {_frameEnd} and runs those bytes as opcodes, which a linear reading takes for array data (joblib always ends the frame before the array)");
            return;
        }

        if (!TryDescribeArray(state, out var header, out string why))
        {
            Malformed(at, $"the joblib array at offset {at} cannot be skipped ({why}); the raw array data that follows is not a pickle");
            return;
        }

        var kept = KeptArrays?.Start(wrapper, header, at);
        if (header.HasObjects)
        {
            var objects = RunEmbeddedPickle(at);
            if (kept is not null)
            {
                kept.Objects = objects;
            }

            return;
        }

        if (header.Aligned)
        {
            int padding = _reader.ReadRawByte();
            if (padding < 0 || (padding > 0 && !_reader.SkipRaw(padding)))
            {
                Malformed(at, $"the joblib array at offset {at} is truncated (alignment padding)");
                return;
            }
        }

        long count = header.Count, itemSize = header.ItemSize;
        long bytes = count * itemSize;
        if (count < 0 || itemSize <= 0 || (count > 0 && bytes / count != itemSize) || !(kept is null ? _reader.SkipRaw(bytes) : KeepRaw(KeptArrays!, kept, bytes)))
        {
            Malformed(at, $"the joblib array at offset {at} declares {count} items of {itemSize} bytes, more than the stream holds");
        }
    }

    /// <summary>Conversion only: reads the array bytes into <paramref name="kept"/> segment by segment. False when the stream ends first.</summary>
    private bool KeepRaw(JoblibArrayStore store, JoblibArray kept, long bytes)
    {
        long remaining = _reader.Remaining;
        if (remaining >= 0 && bytes > remaining)
        {
            return false;
        }

        while (bytes > 0)
        {
            var segment = store.NextSegment(bytes);
            if (_reader.ReadRaw(segment) != segment.Length || !store.Keep(kept, segment.Length))
            {
                return false;
            }

            bytes -= segment.Length;
        }

        return true;
    }

    private static bool TryDescribeArray(PickleValue state, out JoblibArrayHeader header, out string why)
    {
        header = default;
        why = "";
        if (DictParts(state) is not { } parts)
        {
            why = "its state is not a plain dict";
            return false;
        }

        // pickle.py updates __dict__ from the dict part, then runs setattr for the slot part: later keys win.
        PickleValue shape = default, dtype = default, order = default, subclass = default;
        bool aligned = false;
        foreach (var dict in parts)
        {
            for (int i = 0; i + 1 < dict.Items.Count; i += 2)
            {
                switch (dict.Items[i].AsString)
                {
                    case "shape": shape = dict.Items[i + 1]; break;
                    case "dtype": dtype = dict.Items[i + 1]; break;
                    case "order": order = dict.Items[i + 1]; break;
                    case "subclass": subclass = dict.Items[i + 1]; break;
                    case "numpy_array_alignment_bytes": aligned = dict.Items[i + 1].Kind != PickleValueKind.None; break;
                }
            }
        }

        if (shape.AsContainer is not { Kind: PickleValueKind.Tuple, IsComplete: true } dims)
        {
            why = "the shape is not a constant tuple";
            return false;
        }

        long count = 1;
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

        if (!TryItemSize(dtype, out long itemSize, out bool hasObjects, ref why))
        {
            return false;
        }

        header = new JoblibArrayHeader(count, itemSize, hasObjects, aligned, dims, dtype, order, subclass);
        return true;
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
            // NumPy's dtype __setstate__ only takes elsize for the flexible types (S, U, V); for every other type it keeps
            // the size of the type code, so a state that says otherwise must not move where the array ends.
            if (code.Length > 0 && code[0] is 'S' or 'U' or 'V' or 'a' && st.Items[5].Kind == PickleValueKind.Int && st.Items[5].Scalar > 0)
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

    /// <summary>Scans the pickle joblib wrote for an object array; returns its value (kept only in a conversion run).</summary>
    private PickleValue? RunEmbeddedPickle(long at)
    {
        if (_nestingDepth >= _limits.MaxNestedDepth)
        {
            Fail(PickleRules.ResourceLimit, at, $"in-band pickles are nested more than {_limits.MaxNestedDepth} levels deep at offset {at}");
            return null;
        }

        // Same reader, same findings; a separate stack (joblib calls pickle.load on the same file).
        var nested = new PickleMachine(this);
        long opcodes = 0;
        if (!nested.RunOnePickle(0, ref opcodes))
        {
            Fail(PickleRules.Malformed, _reader.Position, $"the in-band pickle of the joblib object array at offset {at} is broken");
            return null;
        }

        return nested._results.Count == 1 ? nested._results[0] : null;
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
        _memo = new MemoTable(parent._memo.RetainsAll, parent._limits.MaxExactMemoEntries);
        _reader = parent._reader;
        _nestingDepth = parent._nestingDepth + 1;
        _nextObjectId = parent._nextObjectId + 1_000_000;
        KeptArrays = parent.KeptArrays;
    }

    /// <summary>
    /// Set only by a conversion: joblib's raw array bytes are read into this store instead of being skipped, and the value
    /// of an object array's in-band pickle is kept with its wrapper. A scan leaves it null and keeps nothing.
    /// </summary>
    internal JoblibArrayStore? KeptArrays { get; init; }

}
