using System.Numerics;

namespace PickleGuard.Cli.Inputs;

/// <summary>
/// Processes files on all cores and returns the results in input order, so output never depends on
/// scheduling. Each worker reads its own file, so I/O and CPU work overlap.
/// </summary>
internal static class ParallelFiles
{
    /// <summary>
    /// Files up to this size are read into the worker's reused buffer; a larger one gets an array of its own, so one
    /// huge file does not stay in memory for the rest of the run.
    /// </summary>
    private const int MaxReusedLength = 16 << 20;

    private const int MinReusedLength = 64 << 10;

    /// <summary>The calling thread's read buffer (<see cref="TryReadReused"/>).</summary>
    [ThreadStatic]
    private static byte[]? _reused;

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

    /// <summary>
    /// Reads a whole file into a buffer the calling thread reuses for its next read, for content that is only decoded
    /// and then dropped: the bytes of every file read would otherwise be fresh memory (a scan runs without
    /// collections). The content is valid until this thread reads again. False plus an error message when the file
    /// cannot be read.
    /// </summary>
    public static bool TryReadReused(string path, out ReadOnlyMemory<byte> content, out string? error)
    {
        content = default;
        error = null;
        try
        {
            using var handle = File.OpenHandle(path);
            var length = RandomAccess.GetLength(handle);
            if (length > MaxReusedLength)
            {
                content = File.ReadAllBytes(path);
                return true;
            }
            // One byte more than the file, so the read that finds its end needs no larger buffer.
            var buffer = _reused;
            if (buffer is null || buffer.Length <= length)
            {
                buffer = _reused = new byte[Math.Max(MinReusedLength, BitOperations.RoundUpToPowerOf2((uint)length + 1))];
            }
            var total = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0)
            {
                total += read;
                if (total == buffer.Length)
                {
                    // The file grew since its length was taken.
                    Array.Resize(ref buffer, buffer.Length * 2);
                    _reused = buffer;
                }
            }
            content = buffer.AsMemory(0, total);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = "cannot read file: " + ex.Message;
            return false;
        }
    }
}
