using System.CommandLine;
using PickleGuard.Cli.Configuration;
using PickleGuard.Cli.Filtering;
using PickleGuard.Cli.Fixing;
using PickleGuard.Cli.Scanning;
using PickleGuard.Core;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Cli.Commands;

/// <summary><c>pickleguard scan PATHS...</c>: Python sources, notebooks and artifacts in one run, one report.</summary>
internal static class ScanCommand
{
    public static Command Create(CommandIo io)
    {
        var paths = SharedOptions.Paths();
        var format = SharedOptions.Format("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE instead of stdout", HelpName = "FILE" };
        var severity = new Option<string?>("--severity")
        {
            Description = "Lowest severity shown and counted for the exit code: info, low, medium, high (default: low)",
            HelpName = "LEVEL",
        };
        severity.AcceptOnlyFromAmong("info", "low", "medium", "high");
        var select = new Option<string[]>("--select") { Description = "Only report rules whose code starts with one of CODES (comma-separated)", HelpName = "CODES" };
        var ignore = new Option<string[]>("--ignore") { Description = "Do not report rules whose code starts with one of CODES (comma-separated)", HelpName = "CODES" };
        var profile = new Option<string?>("--profile") { Description = "Artifact allowlist profile: plain, numpy, torch, sklearn, pandas (default: plain)", HelpName = "PROFILE" };
        profile.AcceptOnlyFromAmong([.. PicklePolicy.Profiles]);
        var policy = new Option<string[]>("--policy") { Description = "Extra pickle policy file with allow/deny entries (repeatable)", HelpName = "FILE" };
        var threatModel = ThreatModelOption.Create();
        var baseline = new Option<string?>("--baseline") { Description = "Report only findings that are not in this earlier JSON report", HelpName = "FILE" };
        var showSuppressed = new Option<bool>("--show-suppressed")
        {
            Description = "Also report findings that suppression comments (# nosec, # noqa, # pickleguard: ignore) hide",
        };
        var exclude = SharedOptions.Exclude();
        var include = SharedOptions.Include();
        var config = SharedOptions.Config();
        var (fix, diff) = FixOptions.Create();
        var command = new Command("scan", "Scan Python code, notebooks and serialized artifacts for insecure deserialization")
        {
            paths, format, output, severity, select, ignore, profile, policy, threatModel, baseline, showSuppressed, exclude, include, config, fix, diff,
        };
        command.SetAction(result =>
        {
            var roots = SettingsResolver.Paths(result.GetValue(paths), io.WorkingDirectory);
            var settings = SettingsResolver.Load(result.GetValue(config), roots, io.WorkingDirectory);
            var discovery = SettingsResolver.Discovery(settings, result.GetValue(exclude) ?? [], result.GetValue(include) ?? [],
                io.WorkingDirectory, (path, head) => ArtifactScanner.IsArtifactCandidate(path, head.Span), ArtifactScanner.IsExplicitArtifact);
            var threshold = result.GetValue(severity) is { } level && SeverityNames.TryParse(level, out var parsed)
                ? parsed
                : settings.Severity ?? Severity.Low;
            var request = new ScanRequest(
                roots,
                discovery,
                threshold,
                CodeList(result.GetValue(select), settings.Select),
                CodeList(result.GetValue(ignore), settings.Ignore),
                result.GetValue(profile) ?? settings.Profile ?? "plain",
                settings.ExtraModels,
                [.. settings.PolicyFiles, .. (result.GetValue(policy) ?? []).Select(p => Path.GetFullPath(p, io.WorkingDirectory))],
                LoadBaseline(result.GetValue(baseline), io.WorkingDirectory))
            {
                Fix = FixOptions.Mode(result.GetValue(fix), result.GetValue(diff)),
                Taint = ThreatModelOption.ToTaintOptions(result.GetValue(threatModel), settings.ThreatModel),
                ShowSuppressed = result.GetValue(showSuppressed),
            };
            var outputFile = result.GetValue(output) is { } file ? Path.GetFullPath(file, io.WorkingDirectory) : null;
            return ScanRunner.Run(request, io, new ReportOutput(result.GetValue(format)!, outputFile, io.Out));
        });
        return command;
    }

    /// <summary>Command-line codes replace configured ones; each value may hold several comma-separated codes.</summary>
    private static IReadOnlyList<string> CodeList(string[]? cli, IReadOnlyList<string> configured) =>
        cli is { Length: > 0 }
            ? [.. cli.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]
            : configured;

    private static Baseline? LoadBaseline(string? file, string workingDirectory)
    {
        if (file is null)
        {
            return null;
        }
        var full = Path.GetFullPath(file, workingDirectory);
        if (!File.Exists(full))
        {
            throw new UsageException($"baseline file '{file}' does not exist");
        }
        return Baseline.Load(full, out var error) ?? throw new UsageException(error!);
    }
}
