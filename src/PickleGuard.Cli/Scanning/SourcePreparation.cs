using System.Text;
using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Inputs;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Cli.Scanning;

/// <summary>Reads Python files and notebooks (in parallel, results in input order).</summary>
internal static class SourcePreparation
{
    public static (IReadOnlyList<PreparedSource> Sources, IReadOnlyList<InputError> Errors) Prepare(IReadOnlyList<DiscoveredFile> files)
    {
        var prepared = ParallelFiles.Map(files, Prepare);
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

    private static (PreparedSource? Source, InputError? Error) Prepare(DiscoveredFile file)
    {
        var bytes = ParallelFiles.TryRead(file.Path, out var readError);
        if (bytes is null)
        {
            return (null, new InputError(file.Path, readError!));
        }
        if (file.Kind != FileKind.Notebook)
        {
            return (new PreparedSource(file.Path, bytes, SourceText.From(bytes, file.Path), null), null);
        }
        if (!NotebookSource.TryExtract(bytes, out var script, out var cells, out var notebookError))
        {
            return (null, new InputError(file.Path, notebookError!));
        }
        return (new PreparedSource(file.Path, Encoding.UTF8.GetBytes(script), SourceText.FromString(script, file.Path), cells), null);
    }
}
