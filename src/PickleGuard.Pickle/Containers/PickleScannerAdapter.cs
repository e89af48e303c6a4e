using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

/// <summary>Connects <see cref="ArtifactScanner"/> to the pickle layer's <see cref="PickleScanner"/> and <see cref="PickleSniffer"/>.</summary>
internal sealed class PickleScannerAdapter(PickleScanner scanner) : IPickleStreamScanner
{
    public PickleStreamScan Scan(Stream stream, Location where)
    {
        try
        {
            var result = scanner.Scan(stream, where);
            return new PickleStreamScan(result.Findings, result.BytesRead, result.Globals.Any(IsJoblibArrayWrapper));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The pickle scanner promises not to throw; if it does anyway, the stream was not scanned: say so.
            var finding = new Finding(ContainerRuleCodes.Unscannable, Severity.Medium, where,
                $"the pickle scanner stopped with an internal error ({ex.GetType().Name}: {ex.Message}); this pickle was not scanned");
            return new PickleStreamScan([finding], 0, ImportsJoblibArrayWrapper: false);
        }
    }

    public IPickleStreamScanner NpyPayload => new PickleScannerAdapter(new PickleScanner(scanner.Policy.NpyPayload, scanner.Limits));

    public IPickleStreamScanner TorchPayload => new PickleScannerAdapter(new PickleScanner(scanner.Policy.TorchPayload, scanner.Limits));

    // joblib.numpy_pickle, or the copy vendored as sklearn.externals.joblib.numpy_pickle.
    private static bool IsJoblibArrayWrapper(PickleGlobal global) =>
        global.ResolvedName.EndsWith("numpy_pickle.NumpyArrayWrapper", StringComparison.Ordinal);

    public bool LooksLikePickle(ReadOnlySpan<byte> head) => PickleSniffer.LooksLikePickle(head);
}
