namespace PickleGuard.Cli.Configuration;

/// <summary>A configuration file that cannot be used; the CLI reports it and exits with code 2.</summary>
internal sealed class ConfigException(string file, string? key, string problem)
    : Exception(key is null ? $"{file}: {problem}" : $"{file}: [tool.pickleguard] {key}: {problem}")
{
    public string File { get; } = file;

    public string? Key { get; } = key;
}
