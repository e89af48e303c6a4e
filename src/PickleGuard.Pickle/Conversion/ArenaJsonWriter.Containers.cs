using System.Text;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Lists, tuples, dicts and sets of the arena.</summary>
internal sealed partial class ArenaJsonWriter
{
    private void Container(ArenaKind kind, int value, int depth)
    {
        // Every container keeps its identity when shared (tuples and frozensets too, as in TaggedJsonWriter).
        if (IsRepeat(value, out int id))
        {
            return;
        }

        switch (kind)
        {
            case ArenaKind.List when id == 0:
                Array(value, depth);
                break;
            case ArenaKind.List:
                TaggedArray(JsonTags.List, id, value, depth);
                break;
            case ArenaKind.Tuple:
                TaggedArray(JsonTags.Tuple, id, value, depth);
                break;
            case ArenaKind.Set:
                TaggedArray(JsonTags.Set, id, value, depth);
                break;
            case ArenaKind.FrozenSet:
                TaggedArray(JsonTags.FrozenSet, id, value, depth);
                break;
            default:
                Dict(value, id, depth);
                break;
        }
    }

    private void Array(int container, int depth)
    {
        _json?.WriteStartArray();
        foreach (int item in arena.Items(container))
        {
            Value(item, depth + 1);
        }

        _json?.WriteEndArray();
    }

    private void TaggedArray(string tag, int id, int container, int depth)
    {
        Tagged(tag, id);
        Array(container, depth);
        _json?.WriteEndObject();
    }

    /// <summary>A plain dict: a JSON object when it can be one and is not shared, otherwise tagged.</summary>
    private void Dict(int dict, int id, int depth)
    {
        if (_json is null)
        {
            CheckKeys(dict);
        }

        bool pairs = Test(_pairForm, dict);
        if (id == 0 && !pairs)
        {
            ObjectBody(dict, depth);
            return;
        }

        Tagged(JsonTags.Dict, id);
        if (pairs)
        {
            PairList(dict, depth);
        }
        else
        {
            ObjectBody(dict, depth);
        }

        _json?.WriteEndObject();
    }

    private void ObjectBody(int dict, int depth)
    {
        _json?.WriteStartObject();
        var items = arena.Items(dict);
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            if (_json is not null)
            {
                PropertyName(arena.Blob(items[i]));
            }

            Value(items[i + 1], depth + 1);
        }

        _json?.WriteEndObject();
    }

    /// <summary>A dict key: user keys that start with <c>$</c> get one more <c>$</c>, so that tags stay unambiguous.</summary>
    private void PropertyName(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty || key[0] != (byte)'$')
        {
            _json!.WritePropertyName(key);
            return;
        }

        if (_name.Length < key.Length + 1)
        {
            _name = new byte[key.Length + 1];
        }

        _name[0] = (byte)'$';
        key.CopyTo(_name.AsSpan(1));
        _json!.WritePropertyName(_name.AsSpan(0, key.Length + 1));
    }

    private void PairList(int dict, int depth)
    {
        _json?.WriteStartArray();
        var items = arena.Items(dict);
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            _json?.WriteStartArray();
            Value(items[i], depth + 2);
            Value(items[i + 1], depth + 2);
            _json?.WriteEndArray();
        }

        _json?.WriteEndArray();
    }

    /// <summary>Only well-formed, distinct str keys make a JSON object; anything else takes the pair form.</summary>
    private void CheckKeys(int dict)
    {
        var items = arena.Items(dict);
        int pairs = items.Length / 2;
        for (int i = 0; i < pairs; i++)
        {
            if (arena.Kind(items[2 * i]) != ArenaKind.Str)
            {
                Set(_pairForm, dict);
                return;
            }
        }

        if (pairs <= SmallDict ? HasDuplicateSmall(items, pairs) : HasDuplicateLarge(items, pairs))
        {
            Set(_pairForm, dict);
        }
    }

    private bool HasDuplicateSmall(ReadOnlySpan<int> items, int pairs)
    {
        for (int i = 1; i < pairs; i++)
        {
            var key = arena.Blob(items[2 * i]);
            for (int j = 0; j < i; j++)
            {
                if (items[2 * i] == items[2 * j] || key.SequenceEqual(arena.Blob(items[2 * j])))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool HasDuplicateLarge(ReadOnlySpan<int> items, int pairs)
    {
        var keys = new HashSet<string>(pairs, StringComparer.Ordinal);
        for (int i = 0; i < pairs; i++)
        {
            if (!keys.Add(Encoding.UTF8.GetString(arena.Blob(items[2 * i]))))
            {
                return true;
            }
        }

        return false;
    }
}
