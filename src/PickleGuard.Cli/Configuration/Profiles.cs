namespace PickleGuard.Cli.Configuration;

/// <summary>Names accepted by <c>--profile</c> and <c>profile =</c>.</summary>
internal static class Profiles
{
    public static readonly IReadOnlyList<string> Names = ["plain", "numpy", "torch", "sklearn"];
}
