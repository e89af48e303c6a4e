using PickleGuard.Core;

namespace PickleGuard.Cli.Configuration;

/// <summary>The <c>[tool.pickleguard]</c> table of a pyproject.toml (or of a file given with --config).</summary>
internal sealed record Settings
{
    /// <summary>The file the settings came from; null when no configuration was found.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Directory that relative paths and path globs in the file are relative to.</summary>
    public string? BaseDirectory { get; init; }

    public IReadOnlyList<string> Include { get; init; } = [];

    public IReadOnlyList<string> Exclude { get; init; } = [];

    public IReadOnlyList<string> Select { get; init; } = [];

    public IReadOnlyList<string> Ignore { get; init; } = [];

    public Severity? Severity { get; init; }

    public string? Profile { get; init; }

    /// <summary>Source kinds of the taint engine, as given (validated); null when the key is absent.</summary>
    public IReadOnlyList<string>? ThreatModel { get; init; }

    /// <summary>Extra model files, resolved to full paths.</summary>
    public IReadOnlyList<string> ExtraModels { get; init; } = [];

    /// <summary>Extra pickle policy files (allow/deny entries for artifact globals), resolved to full paths.</summary>
    public IReadOnlyList<string> PolicyFiles { get; init; } = [];
}
