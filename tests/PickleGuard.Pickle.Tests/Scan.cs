using PickleGuard.Core;

namespace PickleGuard.Pickle.Tests;

/// <summary>Helpers to scan bytes with a profile.</summary>
internal static class Scan
{
    private static readonly Dictionary<string, PicklePolicy> Policies = new();

    public static PicklePolicy Policy(string profile)
    {
        lock (Policies)
        {
            if (!Policies.TryGetValue(profile, out var policy))
            {
                policy = PicklePolicy.Load(profile);
                Policies[profile] = policy;
            }

            return policy;
        }
    }

    public static PickleScanResult Bytes(byte[] data, string profile = "plain", PickleLimits? limits = null) =>
        new PickleScanner(Policy(profile), limits ?? PickleLimits.Default).Scan(new MemoryStream(data), new Location("test.pkl"));

    public static PickleScanResult File(string path, string profile) =>
        new PickleScanner(Policy(profile), PickleLimits.Default).Scan(System.IO.File.OpenRead(path), new Location(path));

    public static IReadOnlyList<string> Rules(this PickleScanResult result) => result.Findings.Select(f => f.RuleCode).Distinct().Order().ToList();
}
