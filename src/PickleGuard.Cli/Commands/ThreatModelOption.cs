using System.CommandLine;
using PickleGuard.Analysis.Taint;

namespace PickleGuard.Cli.Commands;

/// <summary>
/// <c>--threat-model KINDS</c>: which source kinds the taint engine follows (comma-separated: remote, network-data,
/// local, library), or <c>none</c> for the sink-only scan. Without the option: remote, network-data and local.
/// </summary>
internal static class ThreatModelOption
{
    private static readonly string[] Kinds = ["remote", "network-data", "local", "library"];

    public static Option<string[]> Create()
    {
        var option = new Option<string[]>("--threat-model")
        {
            Description = "Source kinds the taint engine follows: remote, network-data, local, library (comma-separated), or none",
            HelpName = "KINDS",
        };
        option.Validators.Add(result =>
        {
            if (Problem(result.GetValueOrDefault<string[]>() ?? []) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return option;
    }

    /// <summary>Why <paramref name="values"/> is not a threat model (the first unknown kind), or null when it is one.</summary>
    public static string? Problem(IReadOnlyList<string> values)
    {
        foreach (var kind in Split(values))
        {
            if (kind != "none" && !Kinds.Contains(kind))
            {
                return $"unknown threat model '{kind}' (expected {string.Join(", ", Kinds)} or none)";
            }
        }
        return null;
    }

    /// <summary>The command line's kinds when given, else the configured ones, else the default threat model.</summary>
    public static TaintOptions ToTaintOptions(string[]? cli, IReadOnlyList<string>? configured) =>
        ToTaintOptions(cli is { Length: > 0 } ? cli : configured);

    private static TaintOptions ToTaintOptions(IReadOnlyList<string>? values)
    {
        var kinds = Split(values).ToList();
        if (kinds.Count == 0)
        {
            return TaintOptions.Default;
        }

        return kinds.Contains("none")
            ? TaintOptions.Disabled
            : TaintOptions.Default with { SourceKinds = kinds.ToHashSet(StringComparer.Ordinal) };
    }

    private static IEnumerable<string> Split(IReadOnlyList<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
