using System.Reflection;

namespace PickleGuard.Cli;

/// <summary>The version shown in reports (the informational version without build metadata).</summary>
internal static class ToolVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version[..plus];
    }
}
