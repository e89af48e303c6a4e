using PickleGuard.Cli.Discovery;

namespace PickleGuard.Cli.Configuration;

/// <summary>Finds the configuration for a run and turns its path settings into discovery filters.</summary>
internal static class SettingsResolver
{
    /// <summary>Settings from <paramref name="configFile"/>, or from the nearest pyproject.toml above the first path.</summary>
    public static Settings Load(string? configFile, IReadOnlyList<string> paths, string workingDirectory)
    {
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile, workingDirectory);
            if (!File.Exists(full))
            {
                throw new UsageException($"configuration file '{configFile}' does not exist");
            }
            return ConfigLoader.Load(full);
        }
        var start = Path.GetFullPath(paths.Count > 0 ? paths[0] : ".", workingDirectory);
        return ConfigLoader.Find(start) is { } found ? ConfigLoader.Load(found) : new Settings();
    }

    /// <summary>Configured globs (relative to the configuration file) plus command-line globs (relative to the working directory).</summary>
    public static DiscoveryOptions Discovery(Settings settings, IReadOnlyList<string> cliExclude, IReadOnlyList<string> cliInclude,
        string workingDirectory, Func<string, ReadOnlyMemory<byte>, bool>? isArtifact, Func<string, bool>? isArtifactContent = null)
    {
        var configBase = settings.BaseDirectory ?? workingDirectory;
        return new DiscoveryOptions
        {
            Exclude = [.. settings.Exclude.Select(g => new PathFilter(g, configBase)), .. cliExclude.Select(g => new PathFilter(g, workingDirectory))],
            Include = [.. settings.Include.Select(g => new PathFilter(g, configBase)), .. cliInclude.Select(g => new PathFilter(g, workingDirectory))],
            IsArtifact = isArtifact,
            IsArtifactContent = isArtifactContent,
        };
    }

    /// <summary>
    /// The paths to scan as full paths (the working directory when none are given); a path that does not exist is a
    /// usage error, since it is almost always a typo that would otherwise pass silently.
    /// </summary>
    public static IReadOnlyList<string> Paths(string[]? paths, string workingDirectory)
    {
        if (paths is not { Length: > 0 })
        {
            return [workingDirectory];
        }
        var full = new List<string>(paths.Length);
        foreach (var path in paths)
        {
            var resolved = Path.GetFullPath(path, workingDirectory);
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                throw new UsageException($"path '{path}' does not exist");
            }
            full.Add(resolved);
        }
        return full;
    }
}
