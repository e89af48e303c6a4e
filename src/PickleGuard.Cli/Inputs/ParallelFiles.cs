namespace PickleGuard.Cli.Inputs;

/// <summary>
/// Processes files on all cores and returns the results in input order, so output never depends on
/// scheduling. Each worker reads its own file, so I/O and CPU work overlap.
/// </summary>
internal static class ParallelFiles
{
    public static TResult[] Map<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> process)
    {
        var results = new TResult[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => results[i] = process(items[i]));
        return results;
    }

    /// <summary>Reads a whole file; null plus an error message when it cannot be read.</summary>
    public static byte[]? TryRead(string path, out string? error)
    {
        try
        {
            error = null;
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = "cannot read file: " + ex.Message;
            return null;
        }
    }
}
