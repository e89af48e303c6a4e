using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Works out what the calls in a value tree stand for: <c>builtins.set([...])</c> is a set, <c>_codecs.encode(s,
/// 'latin1')</c> is bytes, <c>datetime.datetime(b'...')</c> is a datetime… Anything that does not match the exact
/// shape CPython's picklers write stays an opaque object, which is always safe because only allowed globals get here.
/// </summary>
/// <param name="joblibArrays">joblib's in-band arrays read by the machine, by wrapper object (none when null).</param>
internal sealed partial class ValueDecoder(JoblibArrayStore? joblibArrays = null)
{
    private readonly Dictionary<PickleObject, DecodedObject> _cache = new(ReferenceEqualityComparer.Instance);

    public DecodedObject Decode(PickleObject obj)
    {
        if (!_cache.TryGetValue(obj, out var decoded))
        {
            decoded = DecodeUncached(obj);
            _cache[obj] = decoded;
        }

        return decoded;
    }

    private DecodedObject DecodeUncached(PickleObject obj)
    {
        // The machine read array data after this object's BUILD because it is joblib's array wrapper, however it was
        // created (NEWOBJ, copyreg helpers); joblib.load puts the array in its place.
        if (joblibArrays?.Find(obj) is { } array)
        {
            return DecodeJoblibArray(array);
        }

        var (className, args) = ClassAndArguments(obj);
        var known = className is null ? null : DecodeKnown(className, args, obj);
        return known ?? Opaque(obj, className ?? "?", args);
    }

    /// <summary>The class a call constructs and its arguments, looking through copyreg's helpers.</summary>
    private static (string? ClassName, PickleValue Args) ClassAndArguments(PickleObject obj)
    {
        if (obj.Callable.AsGlobal is not { } callee)
        {
            return (null, obj.Arguments);
        }

        var items = Items(obj.Arguments);
        if (callee.ResolvedName == "copyreg._reconstructor" && items is { Count: 3 } && items[0].AsGlobal is { } cls)
        {
            var state = items[2];
            return (cls.ResolvedName, Tuple(state.Kind == PickleValueKind.None ? [] : [state]));
        }

        if (callee.ResolvedName == "copyreg.__newobj__" && items is { Count: > 0 } && items[0].AsGlobal is { } newCls)
        {
            return (newCls.ResolvedName, Tuple([.. items.Skip(1)]));
        }

        return (callee.ResolvedName, obj.Arguments);
    }

    private DecodedObject? DecodeKnown(string className, PickleValue args, PickleObject obj)
    {
        var a = Items(args);
        if (a is null || obj.KeywordArguments.AsContainer is { Count: > 0 })
        {
            return null;
        }

        bool hasState = obj.State is { Kind: not PickleValueKind.None };
        if (className is "uuid.UUID")
        {
            return DecodeUuid(a, obj.State);
        }

        if (className is "numpy.core.multiarray._reconstruct" or "numpy._core.multiarray._reconstruct")
        {
            return DecodeNdArray(a, obj.State);
        }

        if (hasState)
        {
            return null;
        }

        var added = obj.Items?.Items ?? [];
        return className switch
        {
            "_codecs.encode" or "codecs.encode" => DecodeEncode(a),
            "builtins.bytes" when added.Count == 0 => a.Count == 0 ? new DecodedObject(DecodedKind.Bytes) { Data = [] } : null,
            "builtins.bytearray" when added.Count == 0 => DecodeByteArray(a),
            "builtins.set" => DecodeSet(DecodedKind.Set, a, added),
            "builtins.frozenset" when added.Count == 0 => DecodeSet(DecodedKind.FrozenSet, a, added),
            "builtins.complex" when added.Count == 0 => DecodeComplex(a),
            "decimal.Decimal" when added.Count == 0 => a is [{ IsCompleteStr: true } digits] ? new DecodedObject(DecodedKind.Decimal) { Text = digits.AsString } : null,
            "datetime.datetime" or "datetime.date" or "datetime.time" or "datetime.timedelta" or "datetime.timezone" when added.Count == 0 => DecodeDateTime(className, a),
            "collections.OrderedDict" => DecodeDictLike(DecodedKind.OrderedDict, a.Count == 0 ? null : a[0], a.Count <= 1, added),
            "collections.Counter" => DecodeDictLike(DecodedKind.Counter, a.Count == 0 ? null : a[0], a.Count <= 1, added),
            "collections.defaultdict" => DecodeDefaultDict(a, added),
            "collections.deque" => DecodeDeque(a, added),
            "numpy.core.multiarray.scalar" or "numpy._core.multiarray.scalar" when added.Count == 0 => DecodeScalar(a),
            _ => null,
        };
    }

    private static DecodedObject Opaque(PickleObject obj, string className, PickleValue args) => new(DecodedKind.Opaque)
    {
        Text = className,
        First = args,
        Keywords = obj.KeywordArguments.Kind == PickleValueKind.None ? null : obj.KeywordArguments,
        Extra = obj.State,
        AddedItems = obj.Items,
    };

    private DecodedObject? DecodeEncode(IReadOnlyList<PickleValue> a)
    {
        if (a is not [{ IsCompleteStr: true } text, { IsCompleteStr: true } codec] || codec.AsString is not ("latin1" or "latin-1" or "iso-8859-1"))
        {
            return null;
        }

        return Latin1(text.AsString!) is { } data ? new DecodedObject(DecodedKind.Bytes) { Data = data } : null;
    }

    private DecodedObject? DecodeByteArray(IReadOnlyList<PickleValue> a)
    {
        byte[]? data = a switch
        {
            [] => [],
            [var bytes] => BytesOf(bytes, allowText: false),
            [{ IsCompleteStr: true } text, { IsCompleteStr: true } codec] when codec.AsString is "latin1" or "latin-1" => Latin1(text.AsString!),
            _ => null,
        };
        return data is null ? null : new DecodedObject(DecodedKind.ByteArray) { Data = data };
    }

    private static DecodedObject? DecodeSet(DecodedKind kind, IReadOnlyList<PickleValue> a, IReadOnlyList<PickleValue> added)
    {
        if (a.Count > 1)
        {
            return null;
        }

        var items = new List<PickleValue>();
        if (a.Count == 1)
        {
            if (a[0].AsContainer is not { Kind: PickleValueKind.List or PickleValueKind.Tuple or PickleValueKind.Set or PickleValueKind.FrozenSet } source)
            {
                return null;
            }

            items.AddRange(source.Items);
        }

        items.AddRange(added);
        return new DecodedObject(kind) { Items = items };
    }

    private static DecodedObject? DecodeComplex(IReadOnlyList<PickleValue> a)
    {
        if (a is not [var re, var im] || !IsNumber(re) || !IsNumber(im))
        {
            return null;
        }

        return new DecodedObject(DecodedKind.Complex) { First = re, Second = im };
    }

    /// <summary>OrderedDict/Counter: an optional initial mapping or list of pairs, then items set after creation.</summary>
    private static DecodedObject? DecodeDictLike(DecodedKind kind, PickleValue? initial, bool shapeOk, IReadOnlyList<PickleValue> added)
    {
        if (!shapeOk)
        {
            return null;
        }

        var pairs = new List<PickleValue>();
        if (initial is { } source && !AddPairs(source, pairs))
        {
            return null;
        }

        if (added.Count % 2 != 0)
        {
            return null;
        }

        pairs.AddRange(added);
        return new DecodedObject(kind) { Items = pairs };
    }

    private static DecodedObject? DecodeDefaultDict(IReadOnlyList<PickleValue> a, IReadOnlyList<PickleValue> added)
    {
        if (a.Count > 2 || added.Count % 2 != 0)
        {
            return null;
        }

        var pairs = new List<PickleValue>();
        if (a.Count == 2 && !AddPairs(a[1], pairs))
        {
            return null;
        }

        var factory = a.Count == 0 ? PickleValue.None : a[0];
        if (factory.Kind is not (PickleValueKind.None or PickleValueKind.Global))
        {
            return null;
        }

        pairs.AddRange(added);
        return new DecodedObject(DecodedKind.DefaultDict) { Items = pairs, Extra = factory };
    }

    private static DecodedObject? DecodeDeque(IReadOnlyList<PickleValue> a, IReadOnlyList<PickleValue> added)
    {
        if (a.Count > 2)
        {
            return null;
        }

        var items = new List<PickleValue>();
        if (a.Count >= 1)
        {
            if (a[0].AsContainer is not { Kind: PickleValueKind.List or PickleValueKind.Tuple } source)
            {
                return null;
            }

            items.AddRange(source.Items);
        }

        var maxlen = a.Count == 2 ? a[1] : PickleValue.None;
        if (maxlen.Kind is not (PickleValueKind.None or PickleValueKind.Int))
        {
            return null;
        }

        items.AddRange(added);
        return new DecodedObject(DecodedKind.Deque) { Items = items, Extra = maxlen };
    }

    private static bool AddPairs(PickleValue source, List<PickleValue> pairs)
    {
        switch (source.AsContainer)
        {
            case { Kind: PickleValueKind.Dict } dict:
                pairs.AddRange(dict.Items);
                return true;
            case { Kind: PickleValueKind.List or PickleValueKind.Tuple } list:
                foreach (var item in list.Items)
                {
                    if (item.AsContainer is not { Kind: PickleValueKind.List or PickleValueKind.Tuple, Items.Count: 2 } pair)
                    {
                        return false;
                    }

                    pairs.Add(pair.Items[0]);
                    pairs.Add(pair.Items[1]);
                }

                return true;
            default:
                return false;
        }
    }
}
