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
