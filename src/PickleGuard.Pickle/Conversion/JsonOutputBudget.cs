namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// The output limits both tagged-JSON writers (<see cref="TaggedJsonWriter"/> over the value tree,
/// <see cref="ArenaJsonWriter"/> over the compact arena) enforce: nesting depth, number of values and bytes of text.
/// Each writer walks its values twice, to analyse and then to write, and restarts the counts before each walk, so both
/// walks see the same first problem.
/// </summary>
internal sealed class JsonOutputBudget(int maxDepth, long maxValues, long maxTextBytes)
{
    private long _values;
    private long _textBytes;

    /// <summary>The first reason the output cannot be written; null while it can.</summary>
    public string? Problem { get; private set; }

    public void Restart()
    {
        _values = 0;
        _textBytes = 0;
    }

    /// <summary>Counts one more value at <paramref name="depth"/>; false once anything is wrong (this or earlier).</summary>
    public bool EnterValue(int depth)
    {
        if (Problem is not null)
        {
            return false;
        }

        if (depth > maxDepth)
        {
            return Fail($"values nest more than {maxDepth} levels deep");
        }

        return ++_values <= maxValues
            || Fail($"the JSON would hold more than {maxValues} values (shared values are written out each time they occur)");
    }

    /// <summary>Counts text or bytes about to be written; false (and fails) past the limit.</summary>
    public bool Spend(long length)
    {
        _textBytes += length;
        return _textBytes <= maxTextBytes
            || Fail($"the JSON would hold more than {maxTextBytes} bytes of text (a str or bytes value shared by reference is written out each time it occurs)");
    }

    /// <summary>Records <paramref name="message"/> unless a problem is already known; always false.</summary>
    public bool Fail(string message)
    {
        Problem ??= message;
        return false;
    }
}
