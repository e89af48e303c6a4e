using PickleGuard.Core;

namespace PickleGuard.Reporting;

internal static class SeverityCounts
{
    /// <summary>How many findings have each severity, indexed by <see cref="Severity"/>.</summary>
    public static int[] Of(IReadOnlyList<Finding> findings)
    {
        var counts = new int[4];
        foreach (var finding in findings)
        {
            counts[(int)finding.Severity]++;
        }
        return counts;
    }
}
