using System.CommandLine;
using System.Globalization;
using PickleGuard.Cli.Configuration;
using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Inputs;
using PickleGuard.Core;
using PickleGuard.Python;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Commands;

/// <summary>
/// <c>pickleguard parse PATHS...</c>: parses every Python file in parallel and reports syntax errors. Python-2-only
/// forms are reported too and count as errors (Python 3 cannot run such a file). Exit 1 when any file has one.
/// </summary>
internal static class ParseCommand
{
    public static Command Create(CommandIo io)
    {
        var paths = SharedOptions.Paths();
        var format = SharedOptions.Format("text", "json");
        var exclude = SharedOptions.Exclude();
        var include = SharedOptions.Include();
        var config = SharedOptions.Config();
        var command = new Command("parse", "Parse Python files and report syntax errors (exit 1 when there is one)")
        {
            paths, format, exclude, include, config,
        };
        command.SetAction(result =>
        {
            var roots = SettingsResolver.Paths(result.GetValue(paths), io.WorkingDirectory);
            var settings = SettingsResolver.Load(result.GetValue(config), roots, io.WorkingDirectory);
            var discovery = SettingsResolver.Discovery(settings, result.GetValue(exclude) ?? [], result.GetValue(include) ?? [],
                io.WorkingDirectory, isArtifact: null);
            return Run(io, roots, discovery, result.GetValue(format)!);
        });
        return command;
    }

    private static int Run(CommandIo io, IReadOnlyList<string> roots, DiscoveryOptions discovery, string format)
    {
        var inputErrors = new List<InputError>();
        var files = FileDiscovery.Discover(roots, discovery, inputErrors);
        var parsed = ParallelFiles.Map(files, ParseFile);
        var context = new ReportContext(ToolVersion.Current, [], io.WorkingDirectory)
        {
            Notebooks = parsed.Where(f => f.Cells is not null).ToDictionary(f => f.Path, f => f.Cells!, StringComparer.Ordinal),
            UseColor = io.Color,
        };
        if (format == "json")
        {
            ParseJson.Write(parsed, inputErrors, context, io.Out);
        }
        else
        {
            WriteText(parsed, inputErrors, context, io.Out);
        }
        return parsed.Any(file => file.Errors.Count > 0) ? ExitCodes.Findings : ExitCodes.Clean;
    }

    private static ParsedFile ParseFile(DiscoveredFile file)
    {
        var bytes = ParallelFiles.TryRead(file.Path, out var readError);
        if (bytes is null)
        {
            return new ParsedFile(file.Path, [], readError, null);
        }
        if (file.Kind == FileKind.Notebook)
        {
            // Each cell is parsed alone, as Jupyter compiles it.
            return NotebookSource.TryExtract(bytes, out var script, out var cells, out var notebookError)
                ? new ParsedFile(file.Path, NotebookSyntax.Errors(SourceText.FromString(script, file.Path), cells), null, cells)
                : new ParsedFile(file.Path, [], notebookError, null);
        }
        var source = SourceText.From(bytes, file.Path);
        var result = PythonParser.Parse(source);
        var errors = new List<SyntaxProblem>(result.Diagnostics.Count);
        foreach (var diagnostic in result.Diagnostics)
        {
            var position = source.GetLinePosition(diagnostic.Span.Start);
            errors.Add(new SyntaxProblem(file.Path, position.Line, position.Column + 1, diagnostic.Message, diagnostic.IsPython2));
        }
        return new ParsedFile(file.Path, errors, null, null);
    }

    private static void WriteText(IReadOnlyList<ParsedFile> parsed, List<InputError> inputErrors, ReportContext context, TextWriter output)
    {
        inputErrors.AddRange(parsed.Where(f => f.ReadError is not null).Select(f => new InputError(f.Path, f.ReadError!)));
        var errors = parsed.SelectMany(f => f.Errors).ToList();
        TextReporter.WriteProblems(new Report([], inputErrors, errors), context, output);
        var filesWithErrors = parsed.Count(f => f.Errors.Count > 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Parsed {parsed.Count} file{(parsed.Count == 1 ? "" : "s")}: {filesWithErrors} with errors ({errors.Count} diagnostic{(errors.Count == 1 ? "" : "s")})."));
    }
}
