using System.Diagnostics;
using System.Globalization;
using PickleGuard.Cli.Commands;
using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Filtering;
using PickleGuard.Cli.Fixing;
using PickleGuard.Cli.Inputs;
using PickleGuard.Analysis;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Pickle;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Scanning;

/// <summary>
/// The scan pipeline: discover, read, analyse code and artifacts, filter, report. Findings of both worlds go
/// through one filter and one report.
/// </summary>
internal static class ScanRunner
{
    public static int Run(ScanRequest request, CommandIo io, ReportOutput output)
    {
        var clock = Stopwatch.StartNew();
        HugePageAdvice.ApplyToManagedHeap();
        var phases = ScanTimings.Start();
        var policy = LoadPolicy(request);
        var errors = new List<InputError>();
        var ignored = new GitIgnoredTally();
        var files = FileDiscovery.Discover(request.Paths, request.Discovery, errors, ignored);
        ScanTimings.Lap(phases, "discover");
        var codeFiles = files.Where(f => f.Kind != FileKind.Artifact).ToList();
        var artifactFiles = files.Where(f => f.Kind == FileKind.Artifact).ToList();

        CodeScanResult code;
        IReadOnlyList<Finding> artifactFindings;
        IReadOnlyList<PreparedSource> sources;
        // The region starts before the sources are read: collections during the read (the decoded text is twice the
        // bytes, and large files go to the large-object heap) cost more than the read itself (docs/benchmarks.md).
        using (CollectionPause.Start(codeFiles.Sum(file => file.Length)))
        {
            ScanTimings.Lap(phases, "no-GC region");
            (sources, var readErrors) = SourcePreparation.Prepare(codeFiles, keepContent: request.Fix != FixMode.None);
            errors.AddRange(readErrors);
            ScanTimings.Lap(phases, "read");
            var models = LoadModels(request);
            // Artifacts are scanned alongside the code: they keep the second core busy while the taint engine's
            // fixpoint runs on one.
            var artifacts = Task.Run(() => ArtifactScanning.Scan(artifactFiles, policy));
            code = new CodeScanner(models, request.Taint)
            {
                Dependencies = Analysis.Projects.DeclaredDependencies.FromFileSystem(),
                IsDangerousGlobal = path => IsDenied(policy, path),
            }.Scan([.. sources.Select(s => new SourceInput(s.Path, s.Content) { Text = s.Text })]);
            errors.AddRange(code.Errors.Select(error => InNotebookCell(error, sources)));
            (artifactFindings, var artifactErrors) = artifacts.GetAwaiter().GetResult();
            errors.AddRange(artifactErrors);
        }
        ScanTimings.Lap(phases, "artifacts");

        var sourcesByPath = sources.ToDictionary(s => s.Path, StringComparer.Ordinal);
        var context = new ReportContext(ToolVersion.Current, RuleCatalog.All, io.WorkingDirectory)
        {
            Notebooks = sources.Where(s => s.Cells is not null).ToDictionary(s => s.Path, s => s.Cells!, StringComparer.Ordinal),
            UseColor = io.Color && output.IsStdout,
        };
        var filter = new FindingFilter
        {
            Threshold = request.Threshold,
            Select = request.Select,
            Ignore = request.Ignore,
            Baseline = request.Baseline,
            ShowSuppressed = request.ShowSuppressed,
            SourceLine = location => sourcesByPath.TryGetValue(location.Path, out var source) ? source.Text.GetLineText(location.Line) : null,
        };
        var (findings, suppressed) = filter.Apply(Order(WithCodeLines(code.Findings.Concat(artifactFindings), sourcesByPath)), context);
        if (request.Fix != FixMode.None)
        {
            return FixRunner.Run(request.Fix, findings, sourcesByPath, io, () => Run(request with { Fix = FixMode.None }, io, output));
        }
        var report = new Report(findings, [.. errors.OrderBy(e => e.Path, StringComparer.Ordinal)], []) { Suppressed = suppressed };
        ScanTimings.Lap(phases, "filter");
        output.Write(report, context);
        ScanTimings.Lap(phases, "report");

        io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pickleguard: scanned {sources.Count} source file{(sources.Count == 1 ? "" : "s")} and {artifactFiles.Count} artifact{(artifactFiles.Count == 1 ? "" : "s")} in {clock.Elapsed.TotalSeconds:0.00} s{ignored.Summary()}"));
        return findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

    /// <summary>
    /// A syntax error in a notebook names the cell and the line in it, not the line of the script made of its code cells;
    /// the cells are parsed again one by one to find it, as Jupyter compiles them (a block header at the end of a cell
    /// was reported at the first line of the next cell).
    /// </summary>
    private static InputError InNotebookCell(InputError error, IReadOnlyList<PreparedSource> sources)
    {
        if (error.Line is not { } line || !error.Message.StartsWith(CodeScanner.SyntaxErrorAt(line), StringComparison.Ordinal)
            || sources.FirstOrDefault(s => s.Path == error.Path) is not { Cells: { } cells } source)
        {
            return error;
        }
        if (NotebookSyntax.Errors(source.Text, cells).FirstOrDefault(e => !e.Python2) is { } first
            && cells.TryMap(first.Line, out var cell, out var lineInCell))
        {
            return error with { Message = CodeScanner.SyntaxErrorMessage($"in cell {cell}, line {lineInCell}", first.Message), Line = first.Line };
        }
        return cells.TryMap(line, out cell, out lineInCell)
            ? error with { Message = $"syntax error in cell {cell}, line {lineInCell}" + error.Message[CodeScanner.SyntaxErrorAt(line).Length..] }
            : error;
    }

    /// <summary>Whether the policy denies the global <paramref name="path"/> (<c>os.system</c>): calling it runs code.</summary>
    private static bool IsDenied(PicklePolicy policy, string path) =>
        path.LastIndexOf('.') is > 0 and var dot && policy.Evaluate(path[..dot], path[(dot + 1)..], protocol: 4).Verdict == GlobalVerdict.Dangerous;

    private static PicklePolicy LoadPolicy(ScanRequest request)
    {
        try
        {
            return PicklePolicy.Load(request.Profile, request.PolicyFiles);
        }
        catch (PicklePolicyException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>The built-in models plus configured extra-models; a broken model file is a configuration error.</summary>
    private static ModelSet LoadModels(ScanRequest request)
    {
        if (request.ExtraModels.Count == 0)
        {
            return ModelSet.BuiltIn;
        }
        var loaded = ModelSet.Load(request.ExtraModels);
        if (loaded.Errors.Count > 0)
        {
            throw new UsageException("invalid model file: " + string.Join("; ", loaded.Errors.Select(e =>
                e.Line > 0 ? string.Create(CultureInfo.InvariantCulture, $"{e.File}:{e.Line}: {e.Message}") : $"{e.File}: {e.Message}")));
        }
        return loaded.Models;
    }

    /// <summary>
    /// Sets the source line of code findings from the file as read (untrimmed, so the caret lines up with the column);
    /// engines may leave it out or trim it.
    /// </summary>
    private static IEnumerable<Finding> WithCodeLines(IEnumerable<Finding> findings, Dictionary<string, PreparedSource> sources) =>
        findings.Select(f => f.Location.Member is null && f.Location.Line > 0 && sources.TryGetValue(f.Location.Path, out var source)
            ? f with { CodeLine = source.Text.GetLineText(f.Location.Line) }
            : f);

    /// <summary>Deterministic order: path, then line and column (code) or member and offset (artifacts), then rule.</summary>
    private static IEnumerable<Finding> Order(IEnumerable<Finding> findings) =>
        findings.OrderBy(f => f.Location.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Member ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.Location.Column)
            .ThenBy(f => f.Location.ByteOffset ?? 0)
            .ThenBy(f => f.RuleCode, StringComparer.Ordinal);
}
