using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>What a renderer needs besides the report: tool version, rule texts, where paths are relative to.</summary>
public sealed class ReportContext
{
    public ReportContext(string toolVersion, IEnumerable<RuleDescriptor> rules, string baseDirectory)
    {
        ToolVersion = toolVersion;
        BaseDirectory = baseDirectory;
        var byCode = new Dictionary<string, RuleDescriptor>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            byCode[rule.Code] = rule;
        }
        Rules = byCode;
    }

    public string ToolVersion { get; }

    /// <summary>Paths below this directory are shown relative to it.</summary>
    public string BaseDirectory { get; }

    public IReadOnlyDictionary<string, RuleDescriptor> Rules { get; }

    /// <summary>Notebook paths (as found in findings) to their cell maps.</summary>
    public IReadOnlyDictionary<string, NotebookCellMap> Notebooks { get; init; } =
        new Dictionary<string, NotebookCellMap>(StringComparer.Ordinal);

    /// <summary>Colour text output with ANSI escapes.</summary>
    public bool UseColor { get; init; }

    public string DisplayPath(string path) => PathDisplay.Relative(path, BaseDirectory);

    public string? SlugOf(string code) => Rules.TryGetValue(code, out var rule) ? rule.Slug : null;

    /// <summary>
    /// The finding's message as shown: in a notebook, a "(line N)" the analysis wrote (the line of a check, counted in
    /// the cells joined into one script) becomes "(cell C, line M)", as the finding's own location is shown.
    /// </summary>
    public string MessageOf(Finding finding)
    {
        const string marker = "(line ";
        var message = finding.Message;
        if (finding.Location.Member is not null || !Notebooks.TryGetValue(finding.Location.Path, out var map) || !message.Contains(marker, StringComparison.Ordinal))
        {
            return message;
        }
        var result = new System.Text.StringBuilder(message.Length + 16);
        var at = 0;
        for (var start = message.IndexOf(marker, StringComparison.Ordinal); start >= 0; start = message.IndexOf(marker, at, StringComparison.Ordinal))
        {
            var digits = start + marker.Length;
            var end = digits;
            while (end < message.Length && char.IsAsciiDigit(message[end]))
            {
                end++;
            }
            result.Append(message, at, start - at);
            if (end > digits && end < message.Length && message[end] == ')'
                && int.TryParse(message.AsSpan(digits, end - digits), out var line) && map.TryMap(line, out var cell, out var lineInCell))
            {
                result.Append($"(cell {cell}, line {lineInCell})");
                at = end + 1;
            }
            else
            {
                result.Append(marker);
                at = digits;
            }
        }
        return result.Append(message, at, message.Length - at).ToString();
    }

    /// <summary>The 1-based notebook cell of a location, or null when the path is not a notebook.</summary>
    public (int Cell, int Line)? CellOf(Location location)
    {
        if (location.Member is null && location.Line > 0
            && Notebooks.TryGetValue(location.Path, out var map)
            && map.TryMap(location.Line, out var cell, out var line))
        {
            return (cell, line);
        }
        return null;
    }
}
