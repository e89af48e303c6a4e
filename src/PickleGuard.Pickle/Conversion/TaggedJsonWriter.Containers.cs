using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>Lists, tuples, dicts and sets.</summary>
internal sealed partial class TaggedJsonWriter
{
    private void Container(PickleContainer container, int depth)
    {
        if (!container.IsComplete)
        {
            _budget.Fail($"a {container.Kind.ToString().ToLowerInvariant()} has more items than the conversion keeps");
            return;
        }

        // Every container keeps its identity when shared: mutable ones must, and a tuple or frozenset reached twice is
        // one object in Python too (a tuple in a cycle through a list would otherwise be written once per path).
        if (IsRepeat(container, out int id))
        {
            return;
        }

        switch (container.Kind)
        {
            case PickleValueKind.List when id == 0:
                Array(container.Items, depth);
                break;
            case PickleValueKind.List:
                TaggedArray(JsonTags.List, id, container.Items, depth);
                break;
            case PickleValueKind.Tuple:
                TaggedArray(JsonTags.Tuple, id, container.Items, depth);
                break;
            case PickleValueKind.Set:
                TaggedArray(JsonTags.Set, id, container.Items, depth);
                break;
            case PickleValueKind.FrozenSet:
                TaggedArray(JsonTags.FrozenSet, id, container.Items, depth);
                break;
            default:
                Dict(container, container.Items, id, depth);
                break;
        }
    }

    private void Array(IReadOnlyList<PickleValue> items, int depth)
    {
        _json?.WriteStartArray();
        foreach (var item in items)
        {
            Value(item, depth + 1);
        }

        _json?.WriteEndArray();
    }

    private void TaggedArray(string tag, int id, IReadOnlyList<PickleValue> items, int depth)
    {
        Tagged(tag, id);
        Array(items, depth);
        _json?.WriteEndObject();
    }

    /// <summary>A plain dict: a JSON object when it can be one and is not shared, otherwise tagged.</summary>
    private void Dict(object identity, IReadOnlyList<PickleValue> pairs, int id, int depth)
    {
        if (id == 0 && _json is null)
        {
            CheckKeys(identity, pairs);
        }

        if (id == 0 && !_pairForm.Contains(identity))
        {
            ObjectBody(pairs, depth);
            return;
        }

        Tagged(JsonTags.Dict, id);
        DictBody(identity, pairs, depth);
        _json?.WriteEndObject();
    }

    /// <summary>The body of a dict-like value: an object of escaped string keys, or a list of [key, value] pairs.</summary>
    private void DictBody(object identity, IReadOnlyList<PickleValue> pairs, int depth)
    {
        if (_json is null)
        {
            CheckKeys(identity, pairs);
        }

        if (_pairForm.Contains(identity))
        {
            PairList(pairs, depth);
            return;
        }

        ObjectBody(pairs, depth);
    }

    private void ObjectBody(IReadOnlyList<PickleValue> pairs, int depth)
    {
        _json?.WriteStartObject();
        for (int i = 0; i + 1 < pairs.Count; i += 2)
        {
            if (_json is not null)
            {
                var key = pairs[i].AsString!;
                if (key.StartsWith('$'))
                {
                    _json.WritePropertyName("$" + key);
                }
                else
                {
                    _json.WritePropertyName(key);
                }
            }

            Value(pairs[i + 1], depth + 1);
        }

        _json?.WriteEndObject();
    }

    /// <summary>Only complete, well-formed, distinct str keys make a JSON object; anything else takes the pair form.</summary>
    private void CheckKeys(object identity, IReadOnlyList<PickleValue> pairs)
    {
        _keys.Clear();
        for (int i = 0; i + 1 < pairs.Count; i += 2)
        {
            var key = pairs[i];
            if (!key.IsCompleteStr || !IsWellFormed(key.AsString!) || !_keys.Add(key.AsString!))
            {
                _pairForm.Add(identity);
                break;
            }
        }

        _keys.Clear();
    }
}
