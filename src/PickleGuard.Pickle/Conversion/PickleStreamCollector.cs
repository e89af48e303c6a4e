using PickleGuard.Core;
using PickleGuard.Pickle.Containers;
using PickleGuard.Pickle.Machine;

namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Plugs into <see cref="ArtifactScanner"/> in place of the plain pickle scanner, in two passes over the same input.
/// The survey pass (no <c>target</c>) scans every pickle stream exactly as <c>scan</c> would, in scan mode (memory does not
/// grow with the data), and records each in <see cref="Streams"/>: this decides every refusal before anything is
/// built. The extraction pass (<c>target</c> = index of the stream to convert) scans the other streams again, so that
/// the container layer walks the input the same way, and rebuilds the target's value: compactly in a
/// <see cref="DataArena"/> when it is plain data, otherwise (or when <c>useTree</c>) as the machine's value tree.
/// </summary>
/// <param name="arrayMemory">Bytes of joblib array data the extraction keeps in memory before it spills to a temporary file.</param>
internal sealed class PickleStreamCollector(
    PicklePolicy policy, int? target = null, SurveyedStream? surveyed = null, ArenaBuilder? prebuilt = null, bool useTree = false, long arrayMemory = 0)
    : IPickleStreamScanner, IDisposable
{
    private readonly PickleScanner _scanner = new(policy, SurveyLimits);
    private int _index;

    /// <summary>Every stream the survey pass saw, in order.</summary>
    public List<SurveyedStream> Streams { get; } = [];

    /// <summary>The target rebuilt as plain data: handed in ready (speculative build) or after the extraction pass; null when it is not plain data.</summary>
    public ArenaBuilder? Arena { get; private set; } = prebuilt;

    /// <summary>After the extraction pass with a tree: the machine's run over the target.</summary>
    public PickleMachineResult? Tree { get; private set; }

    /// <summary>joblib's in-band arrays, read by the extraction pass with a tree (a scan skips their bytes).</summary>
    public JoblibArrayStore JoblibArrays { get; } = new(arrayMemory);

    /// <summary>Set by the extraction pass when the target turned out not to be plain data (it is then run again as a tree).</summary>
    public bool NotPlain { get; private set; }

    /// <summary>Scans (survey) or rebuilds (extraction target) one stream; for the target the survey's findings are returned again.</summary>
    public PickleStreamScan Scan(Stream stream, Location where)
    {
        int index = _index++;
        if (target == index && surveyed is not null)
        {
            Extract(stream, surveyed.Plain && !useTree);
            return surveyed.Scan;
        }

        var run = _scanner.Execute(stream);
        bool joblib = run.Globals.Any(g => g.ResolvedName.EndsWith("numpy_pickle.NumpyArrayWrapper", StringComparison.Ordinal));
        var scan = new PickleStreamScan(_scanner.BuildFindings(run, where), run.BytesRead, joblib);
        if (target is null)
        {
            Streams.Add(new SurveyedStream(where, scan, run.BytesRead, run.PickleCount, run.Results.Count, run.Globals.Count == 0, run.CompletelyRead));
        }

        return scan;
    }

    private void Extract(Stream stream, bool plain)
    {
        if (plain)
        {
            var builder = new ArenaBuilder();
            bool built;
            try
            {
                built = builder.Build(stream);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Fail safe: a builder bug must not crash the conversion; the machine's tree path decides instead.
                built = false;
            }

            if (built)
            {
                Arena = builder;
                return;
            }

            NotPlain = true;
            return;
        }

        Tree = new PickleMachine(policy, ConversionLimits, recordEvents: true) { KeptArrays = JoblibArrays }.Run(stream);
    }

    /// <summary>Deletes the temporary file of spilled joblib array data, if any.</summary>
    public void Dispose() => JoblibArrays.Dispose();

    public bool LooksLikePickle(ReadOnlySpan<byte> head) => PickleSniffer.LooksLikePickle(head);

    /// <summary>Limits of the survey pass: the scanner's, with text lines as long as the conversion accepts.</summary>
    public static PickleLimits SurveyLimits { get; } = PickleLimits.Default with { MaxLineBytes = 64 << 20 };

    /// <summary>Limits for rebuilding a value: like scanning, but every item and every payload byte is kept.</summary>
    public static PickleLimits ConversionLimits { get; } = PickleLimits.Default with
    {
        MaxRetainedItems = int.MaxValue,
        MaxRetainedBytes = Array.MaxLength,
        MaxLineBytes = 64 << 20,
    };
}
