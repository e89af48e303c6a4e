namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Rebuilds a file as a bare plain-data pickle on another thread while the survey pass scans it, so that the two reads
/// of a large pickle overlap on two cores. The result is used only when the survey then finds that the file itself is
/// the one clean, plain-data pickle to convert; otherwise it is dropped (and a refusal cancels it early). Nothing is
/// written either way before the survey has decided.
/// </summary>
internal sealed class SpeculativeArenaBuild : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task<ArenaBuilder?> _build;

    public SpeculativeArenaBuild(string path)
    {
        var token = _cancel.Token;
        _build = Task.Run(() => Build(path, token));
    }

    /// <summary>Waits for the build: the rebuilt value, or null when the file is not a plain-data pickle.</summary>
    public ArenaBuilder? Result() => _build.Result;

    public void Dispose()
    {
        _cancel.Cancel();
        try
        {
            _build.Wait();
        }
        catch (AggregateException)
        {
            // Build catches everything itself; a cancelled task has nothing to report.
        }

        _cancel.Dispose();
    }

    private static ArenaBuilder? Build(string path, CancellationToken cancel)
    {
        try
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var builder = new ArenaBuilder();
            return builder.Build(input, cancel) ? builder : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Unreadable file or a builder bug: the regular extraction pass decides instead.
            return null;
        }
    }
}
