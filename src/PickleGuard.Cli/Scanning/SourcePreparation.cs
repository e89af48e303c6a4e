using System.Text;
using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Inputs;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Cli.Scanning;

/// <summary>Reads Python files and notebooks (in parallel, results in input order).</summary>
internal static class SourcePreparation
{
    /// <param name="files">The files to read.</param>
    /// <param name="keepContent">Whether each source keeps its bytes (a fix rewrites them); without, the bytes are read
    /// into a reused buffer and dropped once decoded.</param>
    public static (IReadOnlyList<PreparedSource> Sources, IReadOnlyList<InputError> Errors) Prepare(IReadOnlyList<DiscoveredFile> files, bool keepContent)
    {
        var prepared = ParallelFiles.Map(files, file => Prepare(file, keepContent));
        var sources = new List<PreparedSource>(files.Count);
        var errors = new List<InputError>();
        foreach (var (source, error) in prepared)
        {
            if (source is not null)
            {
                sources.Add(source);
            }
            if (error is not null)
            {
                errors.Add(error);
            }
        }
        return (sources, errors);
    }

    private static (PreparedSource? Source, InputError? Error) Prepare(DiscoveredFile file, bool keepContent)
    {
        if (keepContent)
        {
            var bytes = ParallelFiles.TryRead(file.Path, out var error);
            return bytes is null ? (null, new InputError(file.Path, error!)) : Decode(file, bytes, bytes);
        }
        return ParallelFiles.TryReadReused(file.Path, out var content, out var readError)
            ? Decode(file, content, null)
            : (null, new InputError(file.Path, readError!));
    }

    /// <param name="file">The file read.</param>
    /// <param name="bytes">Its content.</param>
    /// <param name="kept">The same content when the source keeps it, else null.</param>
    private static (PreparedSource? Source, InputError? Error) Decode(DiscoveredFile file, ReadOnlyMemory<byte> bytes, byte[]? kept)
    {
        if (file.Kind != FileKind.Notebook)
        {
            return (new PreparedSource(file.Path, kept, SourceText.From(bytes.Span, file.Path), null), null);
        }
        if (!NotebookSource.TryExtract(bytes, out var script, out var cells, out var notebookError))
        {
            return (null, new InputError(file.Path, notebookError!));
        }
        var content = kept is null ? null : Encoding.UTF8.GetBytes(script);
        return (new PreparedSource(file.Path, content, SourceText.FromString(script, file.Path), cells), null);
    }
}
