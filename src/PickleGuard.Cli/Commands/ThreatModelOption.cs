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
            foreach (var kind in Split(result.GetValueOrDefault<string[]>()))
            {
                if (kind != "none" && !Kinds.Contains(kind))
                {
                    result.AddError($"unknown threat model '{kind}' (expected {string.Join(", ", Kinds)} or none)");
                }
            }
        });
        return option;
    }

    public static TaintOptions ToTaintOptions(string[]? values)
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

    private static IEnumerable<string> Split(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
