using System.Text;
using System.Text.Json;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Inputs;

/// <summary>
/// Turns a Jupyter notebook into one Python script made of its code cells, in order (a notebook runs its cells
/// top to bottom, so data flows across cells). IPython magics (<c>%</c>, <c>!</c>) are blanked, not removed, so
/// lines stay put; a cell magic such as <c>%%bash</c> blanks its whole cell because its body is not Python.
/// </summary>
internal static class NotebookSource
{
    private static readonly HashSet<string> PythonBodyCellMagics = new(StringComparer.Ordinal) { "time", "timeit", "capture", "prun" };

    public static bool TryExtract(ReadOnlyMemory<byte> json, out string source, out NotebookCellMap map, out string? error)
    {
        source = "";
        map = new NotebookCellMap([], []);
        error = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                error = "not a Jupyter notebook (no \"cells\" array)";
                return false;
            }
            var text = new StringBuilder();
            var indexes = new List<int>();
            var starts = new List<int>();
            var line = 1;
            var cellIndex = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                cellIndex++;
                if (cell.ValueKind != JsonValueKind.Object
                    || !cell.TryGetProperty("cell_type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "code")
                {
                    continue;
                }
                var lines = CellLines(cell);
                indexes.Add(cellIndex);
                starts.Add(line);
                var blankAll = lines.Count > 0 && IsNonPythonCellMagic(lines[0]);
                foreach (var cellLine in lines)
                {
                    var trimmed = cellLine.TrimStart();
                    text.Append(blankAll || trimmed.StartsWith('%') || trimmed.StartsWith('!') ? "" : cellLine).Append('\n');
                    line++;
                }
            }
            source = text.ToString();
            map = new NotebookCellMap(indexes, starts);
            return true;
        }
        catch (JsonException ex)
        {
            error = "invalid notebook JSON: " + ex.Message;
            return false;
        }
    }

    private static List<string> CellLines(JsonElement cell)
    {
        var joined = new StringBuilder();
        if (cell.TryGetProperty("source", out var source))
        {
            if (source.ValueKind == JsonValueKind.String)
            {
                joined.Append(source.GetString());
            }
            else if (source.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in source.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.String)
                    {
                        joined.Append(part.GetString());
                    }
                }
            }
        }
        var text = joined.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }
        return text.Length == 0 ? [] : [.. text.Split('\n')];
    }

    private static bool IsNonPythonCellMagic(string firstLine)
    {
        var trimmed = firstLine.TrimStart();
        if (!trimmed.StartsWith("%%", StringComparison.Ordinal))
        {
            return false;
        }
        var name = trimmed[2..].Split(' ', 2)[0];
        return !PythonBodyCellMagics.Contains(name);
    }
}
