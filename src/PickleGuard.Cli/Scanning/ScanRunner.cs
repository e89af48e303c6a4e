using System.Diagnostics;
using System.Globalization;
using PickleGuard.Cli.Commands;
using PickleGuard.Cli.Discovery;
using PickleGuard.Cli.Filtering;
using PickleGuard.Cli.Inputs;
using PickleGuard.Core;
using PickleGuard.Pickle;
using PickleGuard.Python;
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
        var policy = LoadPolicy(request);
        var errors = new List<InputError>();
        var files = FileDiscovery.Discover(request.Paths, request.Discovery, errors);
        var codeFiles = files.Where(f => f.Kind != FileKind.Artifact).ToList();
        var artifactFiles = files.Where(f => f.Kind == FileKind.Artifact).ToList();

        var (sources, readErrors) = SourcePreparation.Prepare(codeFiles);
        errors.AddRange(readErrors);
        var syntaxErrors = SyntaxErrors(sources);
        var (artifactFindings, artifactErrors) = ArtifactScanning.Scan(artifactFiles, policy);
        errors.AddRange(artifactErrors);

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
            SourceLine = location => sourcesByPath.TryGetValue(location.Path, out var source) ? source.Text.GetLineText(location.Line) : null,
        };
        var findings = filter.Apply(Order(WithCodeLines(artifactFindings, sourcesByPath)), context);
        var report = new Report(findings, [.. errors.OrderBy(e => e.Path, StringComparer.Ordinal)], syntaxErrors);
        output.Write(report, context);

        io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pickleguard: scanned {sources.Count} source file{(sources.Count == 1 ? "" : "s")} and {artifactFiles.Count} artifact{(artifactFiles.Count == 1 ? "" : "s")} in {clock.Elapsed.TotalSeconds:0.00} s"));
        return findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Clean;
    }

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

    private static IReadOnlyList<SyntaxProblem> SyntaxErrors(IReadOnlyList<PreparedSource> sources)
    {
        var perFile = ParallelFiles.Map(sources, source => PythonParser.Parse(source.Text).Diagnostics);
        var problems = new List<SyntaxProblem>();
        for (var i = 0; i < sources.Count; i++)
        {
            foreach (var diagnostic in perFile[i])
            {
                var position = sources[i].Text.GetLinePosition(diagnostic.Span.Start);
                problems.Add(new SyntaxProblem(sources[i].Path, position.Line, position.Column + 1, diagnostic.Message, diagnostic.IsPython2));
            }
        }
        return problems;
    }

    /// <summary>Fills in the source line of code findings that do not carry one (for display and baselines).</summary>
    private static IEnumerable<Finding> WithCodeLines(IEnumerable<Finding> findings, Dictionary<string, PreparedSource> sources) =>
        findings.Select(f => f.CodeLine is null && f.Location.Member is null && f.Location.Line > 0
            && sources.TryGetValue(f.Location.Path, out var source)
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
