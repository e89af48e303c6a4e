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
        var candidate = new List<TextEdit>(_edits);
        foreach (var edit in edits)
        {
            if (edit.Start < 0 || edit.End < edit.Start)
            {
                return false;
            }
            if (candidate.Contains(edit))
            {
                continue;
            }
            if (candidate.Any(other => Overlaps(edit, other)))
            {
                return false;
            }
            candidate.Add(edit);
        }
        // Stable: insertions at the same point keep the order they were added in.
        var ordered = candidate.Select((edit, index) => (edit, index))
            .OrderBy(p => p.edit.Start).ThenBy(p => p.edit.End).ThenBy(p => p.index)
            .Select(p => p.edit)
            .ToList();
        _edits.Clear();
        _edits.AddRange(ordered);
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
