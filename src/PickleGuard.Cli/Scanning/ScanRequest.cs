using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Filtering;
using PickleGuard.Cli.Fixing;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;

namespace PickleGuard.Cli.Scanning;

/// <summary>One scan, with configuration and command line already merged (the command line wins).</summary>
internal sealed record ScanRequest(
    IReadOnlyList<string> Paths,
    DiscoveryOptions Discovery,
    Severity Threshold,
    IReadOnlyList<string> Select,
    IReadOnlyList<string> Ignore,
    string Profile,
    IReadOnlyList<string> ExtraModels,
    IReadOnlyList<string> PolicyFiles,
    Baseline? Baseline)
{
    /// <summary>--diff or --fix (docs/fixes.md).</summary>
    public FixMode Fix { get; init; }

    /// <summary>--show-suppressed: report what suppression comments would hide.</summary>
    public bool ShowSuppressed { get; init; }

    /// <summary>The threat model of the taint engine (--threat-model); the default follows remote, network-data and local sources.</summary>
    public TaintOptions Taint { get; init; } = TaintOptions.Default;
}
