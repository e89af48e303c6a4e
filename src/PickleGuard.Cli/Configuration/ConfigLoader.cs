using PickleGuard.Cli.Commands;
using PickleGuard.Core;
using PickleGuard.Pickle;
using Tomlyn;
using Tomlyn.Model;

namespace PickleGuard.Cli.Configuration;

/// <summary>
/// Finds and reads <c>[tool.pickleguard]</c>: from <c>--config FILE</c>, or from the nearest pyproject.toml
/// that has the table, walking up from the first path. Unknown keys and wrong types are errors naming the file
/// and the key, so a typo never silently changes what is scanned.
/// </summary>
internal static class ConfigLoader
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.Ordinal)
    {
        "include", "exclude", "select", "ignore", "severity", "profile", "extra-models", "policy",
        "threat-model",
    };

    /// <summary>The nearest pyproject.toml with a [tool.pickleguard] table above <paramref name="startPath"/>, or null.</summary>
    public static string? Find(string startPath)
    {
        var full = Path.GetFullPath(startPath);
        var dir = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full).Directory;
        for (; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "pyproject.toml");
            if (File.Exists(candidate) && HasSection(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Reads the settings of <paramref name="file"/>; throws <see cref="ConfigException"/> when it cannot be used.</summary>
    public static Settings Load(string file)
    {
        var table = ParseFile(file);
        var section = ToolSection(table, file) ?? (Path.GetFileName(file) == "pyproject.toml" ? new TomlTable() : table);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        foreach (var key in section.Keys)
        {
            if (!KnownKeys.Contains(key))
            {
                throw new ConfigException(file, key, $"unknown key (known keys: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))})");
            }
        }
        var severityText = ReadString(section, "severity", file);
        Severity? severity = null;
        if (severityText is not null)
        {
            if (!SeverityNames.TryParse(severityText, out var parsed))
            {
                throw new ConfigException(file, "severity", $"expected one of info, low, medium, high, got '{severityText}'");
            }
            severity = parsed;
        }
        var profile = ReadString(section, "profile", file);
        if (profile is not null && !PicklePolicy.Profiles.Contains(profile))
        {
            throw new ConfigException(file, "profile", $"expected one of {string.Join(", ", PicklePolicy.Profiles)}, got '{profile}'");
        }
        var threatModel = ReadStringOrStrings(section, "threat-model", file);
        if (threatModel is not null && ThreatModelOption.Problem(threatModel) is { } threatProblem)
        {
            throw new ConfigException(file, "threat-model", threatProblem);
        }
        return new Settings
        {
            SourceFile = file,
            BaseDirectory = baseDirectory,
            Include = ReadStrings(section, "include", file),
            Exclude = ReadStrings(section, "exclude", file),
            Select = ReadStrings(section, "select", file),
            Ignore = ReadStrings(section, "ignore", file),
            Severity = severity,
            Profile = profile,
            ThreatModel = threatModel,
            ExtraModels = [.. ReadStrings(section, "extra-models", file).Select(p => Path.GetFullPath(p, baseDirectory))],
            PolicyFiles = [.. ReadStrings(section, "policy", file).Select(p => Path.GetFullPath(p, baseDirectory))],
        };
    }

    private static bool HasSection(string file)
    {
        try
        {
            return ToolSection(ParseFile(file), file) is not null;
        }
        catch (ConfigException)
        {
            // A broken pyproject.toml that may hold our table must not be skipped silently.
            return File.ReadAllText(file).Contains("tool.pickleguard", StringComparison.Ordinal);
        }
    }

    private static TomlTable ParseFile(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(file, null, "cannot read: " + ex.Message);
        }
        try
        {
            return TomlSerializer.Deserialize(text, ConfigTomlContext.Default.TomlTable)
                ?? throw new ConfigException(file, null, "empty TOML document");
        }
        catch (TomlException ex)
        {
            throw new ConfigException(file, null, "invalid TOML: " + ex.Message);
        }
    }

    private static TomlTable? ToolSection(TomlTable root, string file)
    {
        if (!root.TryGetValue("tool", out var tool) || tool is not TomlTable toolTable
            || !toolTable.TryGetValue("pickleguard", out var section))
        {
            return null;
        }
        return section as TomlTable ?? throw new ConfigException(file, null, "[tool.pickleguard] must be a table");
    }

    private static string? ReadString(TomlTable section, string key, string file)
    {
        if (!section.TryGetValue(key, out var value))
        {
            return null;
        }
        return value as string ?? throw new ConfigException(file, key, "expected a string");
    }

    /// <summary>A string (<c>"remote,local"</c>) or an array of strings, as the command-line option accepts both forms.</summary>
    private static IReadOnlyList<string>? ReadStringOrStrings(TomlTable section, string key, string file) =>
        !section.TryGetValue(key, out var value) ? null
            : value is string single ? [single]
            : value is TomlArray ? ReadStrings(section, key, file)
            : throw new ConfigException(file, key, "expected a string or an array of strings");

    private static IReadOnlyList<string> ReadStrings(TomlTable section, string key, string file)
    {
        if (!section.TryGetValue(key, out var value))
        {
            return [];
        }
        if (value is not TomlArray array)
        {
            throw new ConfigException(file, key, "expected an array of strings");
        }
        var items = new List<string>(array.Count);
        foreach (var item in array)
        {
            items.Add(item as string ?? throw new ConfigException(file, key, "expected an array of strings"));
        }
        return items;
    }
}
