using System.Text;
using System.Text.Json;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Writes the values of a <see cref="DataArena"/> as tagged JSON, in the same two passes and with the same output as
/// <see cref="TaggedJsonWriter"/> (which handles the machine's value tree): <see cref="Analyze"/> runs without a JSON
/// writer to find mutable values reached more than once, dicts that need the pair form and anything that cannot be
/// written; <see cref="Write"/> then streams the JSON, flushing every 64 KiB. Bookkeeping is a few bits per value.
/// </summary>
internal sealed partial class ArenaJsonWriter(DataArena arena, ConversionOptions options, long maxValues, long maxTextBytes)
{
    private const int FlushThreshold = 1 << 16;
    private const int SmallDict = 16;

    private readonly ulong[] _seen = new ulong[(arena.ValueCount >> 6) + 1];
    private readonly ulong[] _shared = new ulong[(arena.ValueCount >> 6) + 1];
    private readonly ulong[] _pairForm = new ulong[(arena.ValueCount >> 6) + 1];
    private readonly Dictionary<int, int> _ids = [];
    private readonly JsonOutputBudget _budget = new(options.MaxDepth, maxValues, maxTextBytes);
    private Utf8JsonWriter? _json;
    private byte[] _name = new byte[256];

    /// <summary>Why the value cannot be written, after <see cref="Analyze"/>; null when it can.</summary>
    public string? Problem => _budget.Problem;

    public bool Analyze(int root)
    {
        _json = null;
        _budget.Restart();
        Value(root, 0);
        return Problem is null;
    }

    public void Write(int root, Utf8JsonWriter json)
    {
        // The same walk as Analyze, so the same counts: they start again from zero.
        _json = json;
        _ids.Clear();
        _budget.Restart();
        Value(root, 0);
        json.Flush();
    }

    private void Value(int value, int depth)
    {
        if (!_budget.EnterValue(depth))
        {
            return;
        }

        var kind = arena.Kind(value);
        if ((kind is ArenaKind.BigInt or ArenaKind.Str or ArenaKind.StrUtf16 or ArenaKind.Bytes) && !_budget.Spend(arena.Blob(value).Length))
        {
            return;
        }

        switch (kind)
        {
            case ArenaKind.None:
                _json?.WriteNullValue();
                break;
            case ArenaKind.True or ArenaKind.False:
                _json?.WriteBooleanValue(kind == ArenaKind.True);
                break;
            case ArenaKind.Int:
                _json?.WriteNumberValue(arena.Int(value));
                break;
            case ArenaKind.BigInt:
                _json?.WriteRawValue(arena.Blob(value), skipInputValidation: true);
                break;
            case ArenaKind.Float:
                if (_json is not null)
                {
                    JsonScalars.Float(_json, arena.Float(value), options.NanAsString);
                }

                break;
            case ArenaKind.Str:
                _json?.WriteStringValue(arena.Blob(value));
                break;
            case ArenaKind.StrUtf16:
                if (_json is not null)
                {
                    JsonScalars.CodeUnits(_json, CodeUnits(value));
                }

                break;
            case ArenaKind.Bytes:
                Bytes(JsonTags.Bytes, value, 0);
                break;
            case ArenaKind.ByteArray:
                if (!IsRepeat(value, out int id) && _budget.Spend(arena.Blob(value).Length))
                {
                    Bytes(JsonTags.ByteArray, value, id);
                }

                break;
            default:
                Container(kind, value, depth);
                break;
        }

        if (_json is { BytesPending: > FlushThreshold })
        {
            _json.Flush();
        }
    }

    private string CodeUnits(int value)
    {
        var units = arena.Blob(value);
        return string.Create(units.Length / 2, units.ToArray(), static (chars, bytes) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(bytes[2 * i] | (bytes[2 * i + 1] << 8));
            }
        });
    }

    private void Bytes(string tag, int value, int id)
    {
        if (_json is null)
        {
            return;
        }

        Tagged(tag, id);
        _json.WriteBase64StringValue(arena.Blob(value));
        _json.WriteEndObject();
    }

    /// <summary>
    /// For a mutable value: true when it was already written (a <c>$ref</c> was emitted); otherwise the id to write with
    /// its first occurrence (0 when it is not shared).
    /// </summary>
    private bool IsRepeat(int value, out int id)
    {
        id = 0;
        if (_json is null)
        {
            if (!Test(_seen, value))
            {
                Set(_seen, value);
                return false;
            }

            Set(_shared, value);
            return true;
        }

        if (_ids.TryGetValue(value, out id))
        {
            _json.WriteStartObject();
            _json.WriteNumber(JsonTags.Ref, id);
            _json.WriteEndObject();
            return true;
        }

        if (Test(_shared, value))
        {
            id = _ids.Count + 1;
            _ids[value] = id;
        }

        return false;
    }

    /// <summary>Starts <c>{"$id": n, "tag": </c> (the id only when shared); the caller writes the tag's value.</summary>
    private void Tagged(string tag, int id)
    {
        if (_json is not null)
        {
            JsonScalars.StartTagged(_json, tag, id);
        }
    }

    private static bool Test(ulong[] bits, int value) => (bits[value >> 6] & (1UL << value)) != 0;

    private static void Set(ulong[] bits, int value) => bits[value >> 6] |= 1UL << value;
}
