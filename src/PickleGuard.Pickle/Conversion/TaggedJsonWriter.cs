using System.Text.Json;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Writes a value tree as tagged JSON in two passes over the same code: <see cref="Analyze"/> runs without a JSON
/// writer to find mutable values that are reached more than once (they get <c>$id</c>/<c>$ref</c>), dicts that need the
/// pair form, and anything that cannot be represented; <see cref="Write"/> then streams the JSON. Because every
/// problem is found in the first pass, the second never stops halfway.
/// </summary>
internal sealed partial class TaggedJsonWriter(ValueDecoder decoder, ConversionOptions options, long maxValues, long maxTextBytes)
{
    private const int FlushThreshold = 1 << 16;

    private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _shared = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<object> _pairForm = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, int> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly JsonOutputBudget _budget = new(options.MaxDepth, maxValues, maxTextBytes);
    private Utf8JsonWriter? _json;
    private byte[]? _scratch;

    /// <summary>Why the tree cannot be written, after <see cref="Analyze"/>; null when it can.</summary>
    public string? Problem => _budget.Problem;

    public bool Analyze(PickleValue root)
    {
        _json = null;
        _budget.Restart();
        Value(root, 0);
        return Problem is null;
    }

    public void Write(PickleValue root, Utf8JsonWriter json)
    {
        // The same walk as Analyze, so the same counts: they start again from zero.
        _json = json;
        _ids.Clear();
        _budget.Restart();
        Value(root, 0);
        json.Flush();
    }

    private void Value(PickleValue value, int depth)
    {
        if (!_budget.EnterValue(depth))
        {
            return;
        }

        if (value.IsElided)
        {
            _budget.Fail("a memo value was not kept by the machine");
            return;
        }

        switch (value.Kind)
        {
            case PickleValueKind.None:
                _json?.WriteNullValue();
                break;
            case PickleValueKind.Bool:
                _json?.WriteBooleanValue(value.AsBool);
                break;
            case PickleValueKind.Int:
                _json?.WriteNumberValue(value.Scalar);
                break;
            case PickleValueKind.BigInt:
                BigInt(value.AsString!);
                break;
            case PickleValueKind.Float:
                Float(value.AsFloat);
                break;
            case PickleValueKind.Str:
                Str(value);
                break;
            case PickleValueKind.Bytes:
                Bytes(JsonTags.Bytes, value.AsBytes!, null);
                break;
            case PickleValueKind.ByteArray:
                Bytes(JsonTags.ByteArray, value.AsBytes!, value.AsBytes);
                break;
            case PickleValueKind.List or PickleValueKind.Tuple or PickleValueKind.Dict or PickleValueKind.Set or PickleValueKind.FrozenSet:
                Container(value.AsContainer!, depth);
                break;
            case PickleValueKind.Global:
                Tagged(JsonTags.Global, null);
                _json?.WriteStringValue(value.AsGlobal!.ResolvedName);
                _json?.WriteEndObject();
                break;
            case PickleValueKind.Object:
                Object(value.AsObject!, depth);
                break;
            default:
                _budget.Fail("an out-of-band buffer (protocol 5 NEXT_BUFFER) has no content in the file to convert");
                break;
        }

        if (_json is { BytesPending: > FlushThreshold })
        {
            _json.Flush();
        }
    }

    /// <summary>
    /// For a mutable value: true when it was already written (a <c>$ref</c> was emitted); otherwise the id to write with
    /// its first occurrence (0 when it is not shared).
    /// </summary>
    private bool IsRepeat(object identity, out int id)
    {
        id = 0;
        if (_json is null)
        {
            if (_seen.Add(identity))
            {
                return false;
            }

            _shared.Add(identity);
            return true;
        }

        if (_ids.TryGetValue(identity, out id))
        {
            _json.WriteStartObject();
            _json.WriteNumber(JsonTags.Ref, id);
            _json.WriteEndObject();
            return true;
        }

        if (_shared.Contains(identity))
        {
            id = _ids.Count + 1;
            _ids[identity] = id;
        }

        return false;
    }

    /// <summary>Starts <c>{"$id": n, "tag": </c> (the id only when shared); the caller writes the tag's value.</summary>
    private void Tagged(string tag, int? id)
    {
        if (_json is not null)
        {
            JsonScalars.StartTagged(_json, tag, id ?? 0);
        }
    }
}
