using PickleGuard.Core;

namespace PickleGuard.Analysis.Fixes;

/// <summary>
/// The edits of one file in application order: sorted by position, identical edits merged (two fixes may add the same
/// import), insertions at one point kept in the order given, and overlapping ranges refused.
/// </summary>
public sealed class EditSet
{
    private readonly List<TextEdit> _edits = [];

    public IReadOnlyList<TextEdit> Edits => _edits;

    /// <summary>Adds all of a fix's edits, or none of them when one would overlap an edit already accepted.</summary>
    public bool TryAdd(IEnumerable<TextEdit> edits)
    {
        var fresh = new List<TextEdit>();
        foreach (var edit in edits)
        {
            if (edit.Start < 0 || edit.End < edit.Start)
            {
                return false;
            }
            if (fresh.Contains(edit) || Contains(edit))
            {
                continue;
            }
            if (fresh.Any(other => Overlaps(edit, other)) || Neighbours(edit).Any(other => Overlaps(edit, other)))
            {
                return false;
            }
            fresh.Add(edit);
        }
        foreach (var edit in fresh)
        {
            // After every edit that sorts equal: insertions at one point keep the order they were added in.
            _edits.Insert(UpperBound(edit), edit);
        }
        return true;
    }

    /// <summary>The text with every edit applied, or null when an edit lies outside it.</summary>
    public string? ApplyTo(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length + 64);
        var position = 0;
        foreach (var edit in _edits)
        {
            if (edit.End > text.Length)
            {
                return null;
            }
            builder.Append(text, position, edit.Start - position).Append(edit.NewText);
            position = edit.End;
        }
        return builder.Append(text, position, text.Length - position).ToString();
    }

    private bool Contains(TextEdit edit) => Neighbours(edit).Contains(edit);

    /// <summary>
    /// The accepted edits that could touch <paramref name="edit"/>: accepted ranges are disjoint and sorted, so only
    /// those starting inside it, and the ones just before that reach its start, need a look.
    /// </summary>
    private IEnumerable<TextEdit> Neighbours(TextEdit edit)
    {
        var first = LowerBound(edit.Start);
        for (var i = first - 1; i >= 0 && _edits[i].End >= edit.Start; i--)
        {
            yield return _edits[i];
        }
        for (var i = first; i < _edits.Count && _edits[i].Start <= edit.End; i++)
        {
            yield return _edits[i];
        }
    }

    /// <summary>The first index whose edit starts at or after <paramref name="start"/>.</summary>
    private int LowerBound(int start)
    {
        var (low, high) = (0, _edits.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = _edits[middle].Start < start ? (middle + 1, high) : (low, middle);
        }
        return low;
    }

    /// <summary>The index after every edit that sorts before or equal to <paramref name="edit"/> by (start, end).</summary>
    private int UpperBound(TextEdit edit)
    {
        var (low, high) = (0, _edits.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            var other = _edits[middle];
            var after = other.Start < edit.Start || (other.Start == edit.Start && other.End <= edit.End);
            (low, high) = after ? (middle + 1, high) : (low, middle);
        }
        return low;
    }

    /// <summary>Two edits conflict when their ranges share a character, or one inserts inside the other's range.</summary>
    private static bool Overlaps(TextEdit a, TextEdit b)
    {
        if (a.Start == a.End && b.Start == b.End)
        {
            return false;
        }
        if (a.Start == a.End)
        {
            return a.Start > b.Start && a.Start < b.End;
        }
        if (b.Start == b.End)
        {
            return b.Start > a.Start && b.Start < a.End;
        }
        return a.Start < b.End && b.Start < a.End;
    }
}
