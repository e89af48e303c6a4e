namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>A Python tuple literal read by <see cref="PythonLiteral"/>.</summary>
internal sealed record LiteralTuple(IReadOnlyList<object?> Items);

/// <summary>A Python list literal read by <see cref="PythonLiteral"/>.</summary>
internal sealed record LiteralList(IReadOnlyList<object?> Items);

/// <summary>An int literal too large for a <see cref="long"/>, kept as decimal digits.</summary>
internal sealed record LiteralBigInt(string Digits);

/// <summary>A bytes literal (<c>b'...'</c>); its characters are the byte values.</summary>
internal sealed record LiteralBytes(string Latin1);

/// <summary>A Python dict literal: insertion order, and a repeated key keeps its last value (as Python does).</summary>
internal sealed class LiteralDict
{
    private readonly List<(object? Key, object? Value)> _items = [];

    public IReadOnlyList<(object? Key, object? Value)> Items => _items;

    public void Set(object? key, object? value)
    {
        int index = _items.FindIndex(item => Equals(item.Key, key));
        if (index >= 0)
        {
            _items[index] = (_items[index].Key, value);
        }
        else
        {
            _items.Add((key, value));
        }
    }

    public bool TryGet(string key, out object? value)
    {
        foreach (var item in _items)
        {
            if (item.Key is string text && text == key)
            {
                value = item.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
