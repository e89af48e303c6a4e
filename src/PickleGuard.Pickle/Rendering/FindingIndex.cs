using PickleGuard.Core;

namespace PickleGuard.Pickle.Rendering;

/// <summary>Findings by the byte offsets they point at (their location and their trace steps).</summary>
internal static class FindingIndex
{
    public static Dictionary<long, List<Finding>> ByOffset(IReadOnlyList<Finding>? findings)
    {
        var index = new Dictionary<long, List<Finding>>();
        foreach (var finding in findings ?? [])
        {
            var offsets = new HashSet<long>();
            if (finding.Location.ByteOffset is { } at)
            {
                offsets.Add(at);
            }

            foreach (var step in finding.Trace)
            {
                if (step.Location.ByteOffset is { } stepAt)
                {
                    offsets.Add(stepAt);
                }
            }

            foreach (var offset in offsets)
            {
                if (!index.TryGetValue(offset, out var list))
                {
                    index[offset] = list = [];
                }

                list.Add(finding);
            }
        }

        return index;
    }
}
