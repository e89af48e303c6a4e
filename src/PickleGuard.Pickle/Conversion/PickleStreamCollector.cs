using PickleGuard.Core;
using PickleGuard.Pickle.Containers;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Plugs into <see cref="ArtifactScanner"/> in place of the plain pickle scanner: every pickle stream the container
/// readers find is executed by the symbolic machine with retention limits large enough to keep the whole value tree,
/// its findings go back to the container layer as usual, and its machine result is kept as a candidate to convert.
/// </summary>
internal sealed class PickleStreamCollector(PickleScanner scanner) : IPickleStreamScanner
{
    private const int MaxCandidates = 16;

    public List<(Location Where, PickleMachineResult Run)> Candidates { get; } = [];

    /// <summary>
    /// Streams that hold joblib in-band arrays: the machine steps over their raw bytes, so the value tree lacks the
    /// array data and converting it would silently drop it.
    /// </summary>
    public List<Location> JoblibArrays { get; } = [];

    /// <summary>Streams seen beyond <see cref="MaxCandidates"/> (their value trees are not kept).</summary>
    public int Dropped { get; private set; }

    public PickleStreamScan Scan(Stream stream, Location where) => Collect(stream, where).Scan;

    /// <summary>Runs the machine over one stream, keeps the run as a candidate and returns the findings for it.</summary>
    public (PickleStreamScan Scan, PickleMachineResult Run) Collect(Stream stream, Location where)
    {
        // Recording events also keeps every memo value (scan mode keeps only what matters for security).
        var run = scanner.Execute(stream, recordEvents: true);
        bool joblib = run.Globals.Any(g => g.ResolvedName.EndsWith("numpy_pickle.NumpyArrayWrapper", StringComparison.Ordinal));
        if (joblib)
        {
            JoblibArrays.Add(where);
        }

        if (Candidates.Count < MaxCandidates)
        {
            Candidates.Add((where, run));
        }
        else
        {
            Dropped++;
        }

        return (new PickleStreamScan(scanner.BuildFindings(run, where), run.BytesRead, joblib), run);
    }

    public bool LooksLikePickle(ReadOnlySpan<byte> head) => PickleSniffer.LooksLikePickle(head);

    /// <summary>Limits for conversion: like scanning, but every item and every payload byte is kept.</summary>
    public static PickleLimits ConversionLimits { get; } = PickleLimits.Default with
    {
        MaxRetainedItems = int.MaxValue,
        MaxRetainedBytes = Array.MaxLength,
        MaxLineBytes = 64 << 20,
    };
}
