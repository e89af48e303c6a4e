namespace PickleGuard.Pickle.Tests;

internal static class AdvisoryAssert
{
    /// <summary>The pickle must raise a high-severity finding naming <paramref name="callable"/>.</summary>
    public static void Dangerous(byte[] pickle, string callable, string profile = "plain")
    {
        var result = Scan.Bytes(pickle, profile);
        Assert.Contains(result.Findings, f => f.Severity == Core.Severity.High && f.Callable == callable);
    }

    /// <summary>The pickle must raise the given rule (at any severity).</summary>
    public static void Raises(byte[] pickle, string rule, string profile = "plain")
    {
        var result = Scan.Bytes(pickle, profile);
        Assert.True(result.Findings.Any(f => f.RuleCode == rule), $"expected {rule}, got: " + string.Join(" | ", result.Findings.Select(f => $"{f.RuleCode} {f.Message}")));
    }
}
