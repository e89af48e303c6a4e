using System.CommandLine;

namespace PickleGuard.Cli.Fixing;

/// <summary>The <c>--fix</c> and <c>--diff</c> options of <c>scan</c>.</summary>
internal static class FixOptions
{
    public static (Option<bool> Fix, Option<bool> Diff) Create() => (
        new Option<bool>("--fix") { Description = "Apply the safe fixes in place (yaml.safe_load, weights_only=True, allow_pickle=False), then report what remains" },
        new Option<bool>("--diff") { Description = "Print the safe fixes as a unified diff on stdout without changing files; exit 1 if there is anything to fix" });

    public static FixMode Mode(bool fix, bool diff) => (fix, diff) switch
    {
        (true, true) => throw new UsageException("--fix and --diff cannot be combined"),
        (true, false) => FixMode.Apply,
        (false, true) => FixMode.Diff,
        _ => FixMode.None,
    };
}
