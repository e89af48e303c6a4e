using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Values built by calls: decoded known types and opaque objects.</summary>
internal sealed partial class TaggedJsonWriter
{
    private void Object(PickleObject obj, int depth)
    {
        if (obj.Kind == CallKind.PersistentLoad)
        {
            // Only reached when the policy vets the persistent id (torch storages): the id is data, resolved by the loader.
            Tagged(JsonTags.Persistent, null);
            Value(obj.Arguments, depth + 1);
            _json?.WriteEndObject();
            return;
        }

        if (obj.Callable.Kind != PickleValueKind.Global)
        {
            _budget.Fail($"the value created at offset {obj.ByteOffset} is not made by an imported class ({obj.Kind})");
            return;
        }

        var decoded = decoder.Decode(obj);
        int id = 0;
        if (decoded.KeepsIdentity && IsRepeat(obj, out id))
        {
            return;
        }

        switch (decoded.Kind)
        {
            case DecodedKind.Bytes:
                BytesTag(JsonTags.Bytes, decoded.Data!, 0);
                break;
            case DecodedKind.ByteArray:
                BytesTag(JsonTags.ByteArray, decoded.Data!, id);
                break;
            case DecodedKind.Set:
                TaggedArray(JsonTags.Set, id, decoded.Items, depth);
                break;
            case DecodedKind.FrozenSet:
                TaggedArray(JsonTags.FrozenSet, id, decoded.Items, depth);
                break;
            case DecodedKind.Complex:
                Tagged(JsonTags.Complex, null);
                _json?.WriteStartArray();
                Value(decoded.First, depth + 1);
                Value(decoded.Second, depth + 1);
                _json?.WriteEndArray();
                _json?.WriteEndObject();
                break;
            case DecodedKind.Decimal:
            case DecodedKind.Uuid:
            case DecodedKind.Date:
                TextTag(decoded.Kind switch { DecodedKind.Decimal => JsonTags.Decimal, DecodedKind.Uuid => JsonTags.Uuid, _ => JsonTags.Date }, decoded.Text!);
                break;
            case DecodedKind.DateTime:
            case DecodedKind.Time:
                DateTime(decoded, depth);
                break;
            case DecodedKind.TimeDelta:
            case DecodedKind.TimeZone:
                Tagged(decoded.Kind == DecodedKind.TimeDelta ? JsonTags.TimeDelta : JsonTags.TimeZone, null);
                Numbers(decoded.Numbers);
                if (decoded.Name is not null)
                {
                    _json?.WriteString("name", decoded.Name);
                }

                _json?.WriteEndObject();
                break;
            case DecodedKind.OrderedDict:
            case DecodedKind.Counter:
            case DecodedKind.DefaultDict:
                DictLike(decoded, id, depth);
                break;
            case DecodedKind.Deque:
                Tagged(JsonTags.Deque, id);
                Array(decoded.Items, depth);
                Member("maxlen", decoded.Extra, depth, skipNone: true);
                _json?.WriteEndObject();
                break;
            case DecodedKind.NdArray:
                NdArray(decoded, id, depth);
                break;
            case DecodedKind.Unrepresentable:
                _budget.Fail(decoded.Text!);
                break;
            default:
                Opaque(decoded, id, depth);
                break;
        }
    }

    private void TextTag(string tag, string text)
    {
        if (!_budget.Spend(text.Length) || _json is null)
        {
            return;
        }

        _json.WriteStartObject();
        _json.WriteString(tag, text);
        _json.WriteEndObject();
    }

    private void Numbers(long[] numbers)
    {
        if (_json is null)
        {
            return;
        }

        _json.WriteStartArray();
        foreach (var n in numbers)
        {
            _json.WriteNumberValue(n);
        }

        _json.WriteEndArray();
    }

    /// <summary>Writes <c>"name": value</c> (nothing when the value is absent, or None and <paramref name="skipNone"/>).</summary>
    private void Member(string name, PickleValue? value, int depth, bool skipNone)
    {
        if (value is not { } v || (skipNone && v.Kind == PickleValueKind.None))
        {
            return;
        }

        _json?.WritePropertyName(name);
        Value(v, depth + 1);
    }

    private void DateTime(DecodedObject decoded, int depth)
    {
        Tagged(decoded.Kind == DecodedKind.DateTime ? JsonTags.DateTime : JsonTags.Time, null);
        _json?.WriteStringValue(decoded.Text);
        if (decoded.Numbers is [1])
        {
            _json?.WriteNumber("fold", 1);
        }

        if (decoded.Name is not null)
        {
            _json?.WriteString("tzname", decoded.Name);
        }

        Member("tzinfo", decoded.Extra, depth, skipNone: true);
        _json?.WriteEndObject();
    }

    private void DictLike(DecodedObject decoded, int id, int depth)
    {
        Tagged(decoded.Kind switch { DecodedKind.OrderedDict => JsonTags.OrderedDict, DecodedKind.Counter => JsonTags.Counter, _ => JsonTags.DefaultDict }, id);
        DictBody(decoded, decoded.Items, depth);
        if (decoded.Kind == DecodedKind.DefaultDict)
        {
            Member("factory", decoded.Extra, depth, skipNone: false);
        }

        _json?.WriteEndObject();
    }

    private void NdArray(DecodedObject decoded, int id, int depth)
    {
        Tagged(JsonTags.NdArray, id);
        _json?.WriteStartObject();
        _json?.WriteString("dtype", decoded.Text);
        _json?.WritePropertyName("shape");
        Numbers(decoded.Numbers);
        if (decoded.Name == "F")
        {
            _json?.WriteString("order", "F");
        }

        if (decoded.IsScalar)
        {
            _json?.WriteBoolean("scalar", true);
        }

        if (decoded.Data is { } data)
        {
            _budget.Spend(data.Length);
            _json?.WriteBase64String("data", data);
        }
        else if (decoded.RawArray is { } raw)
        {
            _budget.Spend(raw.Length);
            RawData(raw);
        }
        else
        {
            Member("data", decoded.Extra, depth, skipNone: false);
        }

        _json?.WriteEndObject();
        _json?.WriteEndObject();
    }

    /// <summary>joblib's raw array bytes, base64-encoded segment by segment straight into the output (never one huge string).</summary>
    private void RawData(JoblibArray raw)
    {
        if (_json is null)
        {
            return;
        }

        _json.WritePropertyName("data");
        if (raw.Segments.Count == 0)
        {
            _json.WriteBase64StringValue([]);
            return;
        }

        _scratch ??= new byte[JoblibArray.SegmentBytes];
        for (int i = 0; i < raw.Segments.Count; i++)
        {
            _json.WriteBase64StringSegment(decoder.ReadArraySegment(raw.Segments[i], _scratch), isFinalSegment: i == raw.Segments.Count - 1);
            if (_json.BytesPending > FlushThreshold)
            {
                _json.Flush();
            }
        }
    }

    private void Opaque(DecodedObject decoded, int id, int depth)
    {
        Tagged(JsonTags.Object, id);
        _json?.WriteStringValue(decoded.Text);
        _json?.WritePropertyName("args");
        if (decoded.First.AsContainer is { Kind: PickleValueKind.Tuple } args)
        {
            Array(args.Items, depth);
        }
        else
        {
            Value(decoded.First, depth + 1);
        }

        Member("kwargs", decoded.Keywords, depth, skipNone: true);
        Member("state", decoded.Extra, depth, skipNone: true);
        if (decoded.AddedItems is { } added)
        {
            bool dict = added.Kind == PickleValueKind.Dict;
            _json?.WritePropertyName(dict ? "dictitems" : "listitems");
            if (dict)
            {
                PairList(added.Items, depth);
            }
            else
            {
                Array(added.Items, depth);
            }
        }

        _json?.WriteEndObject();
    }

    private void PairList(IReadOnlyList<PickleValue> pairs, int depth)
    {
        _json?.WriteStartArray();
        for (int i = 0; i + 1 < pairs.Count; i += 2)
        {
            _json?.WriteStartArray();
            Value(pairs[i], depth + 2);
            Value(pairs[i + 1], depth + 2);
            _json?.WriteEndArray();
        }

        _json?.WriteEndArray();
    }
}
