using System.Globalization;
using System.Text;
using PickleGuard.Core;

namespace PickleGuard.Cli.Fixing;

/// <summary>
/// A unified diff (<c>--- a/path</c>, <c>+++ b/path</c>, hunks with three lines of context) built from the edits
/// themselves: only the lines an edit touches change, so no general diff algorithm is needed.
/// </summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>A region of old lines [First, Last] (Last = First - 1 for none) replaced by new lines.</summary>
    private sealed record Region(int First, int Last, List<string> NewLines);

    public static string Create(string displayPath, string oldText, IReadOnlyList<TextEdit> sortedEdits)
    {
        var oldLines = SplitLines(oldText);
        var lineStarts = new int[oldLines.Count + 1];
        for (var i = 0; i < oldLines.Count; i++)
        {
            lineStarts[i + 1] = lineStarts[i] + oldLines[i].Length;
        }
        var regions = Regions(oldText, sortedEdits, oldLines, lineStarts);
        if (regions.Count == 0)
        {
            return "";
        }
        var output = new StringBuilder();
        output.Append("--- a/").Append(displayPath).Append('\n');
        output.Append("+++ b/").Append(displayPath).Append('\n');
        var delta = 0;
        var index = 0;
        while (index < regions.Count)
        {
            var end = index;
            while (end + 1 < regions.Count && regions[end + 1].First - regions[end].Last - 1 <= 2 * Context)
            {
                end++;
            }
            delta = WriteHunk(output, oldLines, regions.GetRange(index, end - index + 1), delta);
            index = end + 1;
        }
        return output.ToString();
    }

    private static List<Region> Regions(string oldText, IReadOnlyList<TextEdit> edits, List<string> oldLines, int[] lineStarts)
    {
        var regions = new List<(int First, int Last, List<TextEdit> Edits)>();
        foreach (var edit in edits)
        {
            var first = LineOf(lineStarts, edit.Start);
            // A whole line inserted at a line start changes no old line.
            var insertsLine = edit.Start == edit.End && lineStarts[first] == edit.Start && edit.NewText.EndsWith('\n');
            var last = edit.End > edit.Start ? LineOf(lineStarts, edit.End - 1) : insertsLine ? first - 1 : first;
            if (regions.Count > 0 && regions[^1].Last + 1 >= first)
            {
                var previous = regions[^1];
                previous.Edits.Add(edit);
                regions[^1] = (previous.First, Math.Max(previous.Last, last), previous.Edits);
            }
            else
            {
                regions.Add((first, last, [edit]));
            }
        }
        return regions.Select(r =>
        {
            var start = lineStarts[r.First];
            var end = lineStarts[Math.Min(r.Last + 1, oldLines.Count)];
            var text = new StringBuilder();
            var position = start;
            foreach (var edit in r.Edits)
            {
                text.Append(oldText, position, edit.Start - position).Append(edit.NewText);
                position = edit.End;
            }
            text.Append(oldText, position, end - position);
            return new Region(r.First, r.Last, SplitLines(text.ToString()));
        }).ToList();
    }

    private static int WriteHunk(StringBuilder output, List<string> oldLines, List<Region> regions, int delta)
    {
        var oldStart = Math.Max(0, regions[0].First - Context);
        var oldEnd = Math.Min(oldLines.Count - 1, regions[^1].Last + Context);
        var body = new StringBuilder();
        var newCount = 0;
        var line = oldStart;
        foreach (var region in regions)
        {
            for (; line < region.First; line++, newCount++)
            {
                AppendLine(body, ' ', oldLines[line]);
            }
            for (; line <= region.Last; line++)
            {
                AppendLine(body, '-', oldLines[line]);
            }
            foreach (var added in region.NewLines)
            {
                AppendLine(body, '+', added);
                newCount++;
            }
        }
        for (; line <= oldEnd; line++, newCount++)
        {
            AppendLine(body, ' ', oldLines[line]);
        }
        var oldCount = oldEnd - oldStart + 1;
        var newStart = oldStart + delta;
        output.Append(string.Create(CultureInfo.InvariantCulture,
            $"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n"));
        output.Append(body);
        return delta + newCount - oldCount;
    }

    /// <summary>1-based start and count; an empty range names the line before it, as diff does.</summary>
    private static string Range(int zeroBasedStart, int count) =>
        count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{zeroBasedStart},0")
            : count == 1
                ? (zeroBasedStart + 1).ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{zeroBasedStart + 1},{count}");

    /// <summary>One diff line; a line without a terminator is the file's last and gets diff's marker.</summary>
    private static void AppendLine(StringBuilder output, char marker, string line)
    {
        var content = line.TrimEnd('\r', '\n');
        output.Append(marker).Append(content).Append('\n');
        if (content.Length == line.Length)
        {
            output.Append("\\ No newline at end of file\n");
        }
    }

    /// <summary>Lines with their terminators (\n, \r\n or \r), so that joining them gives the text back.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }
            if (text[i] is '\n' or '\r')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }
        return lines;
    }

    private static int LineOf(int[] lineStarts, int offset)
    {
        var index = Array.BinarySearch(lineStarts, offset);
        var line = index >= 0 ? index : ~index - 1;
        return Math.Clamp(line, 0, Math.Max(0, lineStarts.Length - 2));
    }
}
