using System.Collections.Concurrent;
using PickleGuard.Analysis.Detection;
using PickleGuard.Analysis.Fixes;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis;

/// <summary>
/// Finds deserialization sinks in Python source (steps 1 and 2 of the review method): parses and binds every file
/// in parallel, builds one project model (so imports resolve across files), then checks every call. Results are in
/// a deterministic order whatever the parallelism.
/// </summary>
public sealed class CodeScanner
{
    private readonly ModelSet _models;
    private readonly HashSet<string> _modelNamespaces;

    private readonly HashSet<string> _receiverContexts;
    private readonly TaintOptions _taint;

    public CodeScanner(ModelSet models)
        : this(models, TaintOptions.Default)
    {
    }

    /// <param name="taint">Step 3 (the taint engine, PickleGuard.Analysis.Taint); <see cref="TaintOptions.Disabled"/> for sinks only.</param>
    public CodeScanner(ModelSet models, TaintOptions taint)
    {
        _models = models;
        _taint = taint;
        _receiverContexts = ReceiverContexts.Of(models);
        _modelNamespaces = new HashSet<string>(StringComparer.Ordinal) { "builtins" };
        foreach (var name in models.Sinks.SelectMany(s => s.Names)
                     .Concat(models.Serializers.SelectMany(s => s.Names))
                     .Concat(models.Propagators.SelectMany(p => p.Names))
                     .Concat(models.ImportInfoModules)
                     // Sources and sanitizers too: a scanned stdlib's socket.py must not hide the `socket` source
                     // (verdicts must not depend on the scan root; docs/taint.md, "Modelled names and project modules").
                     .Concat(models.Taint.Sources.SelectMany(s => s.Names))
                     .Concat(models.Taint.Sanitizers.SelectMany(s => s.Names))
                     .Concat(models.Taint.CallbackSources.SelectMany(c => c.Names))
                     .Concat(models.Taint.Hooks.SelectMany(h => h.Names))
                     .Concat(models.Taint.ViewClasses.SelectMany(v => v.Bases))
                     .Concat(models.Taint.ParameterSources.SelectMany(p => p.DecoratedBy)))
        {
            _modelNamespaces.Add(name.Split('.')[0]);
        }
    }

    /// <summary>The package versions the scanned projects declare (<see cref="Projects.DeclaredDependencies"/>); none by default.</summary>
    public Projects.DeclaredDependencies Dependencies { get; init; } = Projects.DeclaredDependencies.None;

    /// <summary>Whether a global (a qualified name) runs code when called: the pickle scanner's deny list; none by default.</summary>
    public Func<string, bool>? IsDangerousGlobal { get; init; }

    public CodeScanResult Scan(IReadOnlyList<SourceInput> files, CancellationToken ct = default)
    {
        var clock = ScanTimings.Start();
        var errors = new ConcurrentBag<InputError>();
        var packages = ModuleNames.PackageDirectories(files.Select(f => f.Path));
        var modules = new ModuleModel?[files.Count];
        var options = ScanParallelism.Options(ct);
        Parallel.For(0, files.Count, options, i => modules[i] = Load(files[i], packages, errors));

        ScanTimings.Lap(clock, "parse and bind");
        var project = new ProjectModel(modules.OfType<ModuleModel>().ToArray());
        // Per-module results merged afterwards: no shared collection in the hot path.
        var moduleFindings = new List<Finding>[project.Modules.Count];
        // The taint engine's index of calls is filled here, module by module, with the callees sink detection
        // resolved: one pass over each module's calls while they are in the cache instead of two.
        var taintIndex = _taint.Enabled ? ProjectIndex.Create(project, _models, _taint, ct) : null;
        // Detectors are lent to the loop's tasks and given back, never made per task: Parallel.For ends each task after
        // about 100 ms and starts another, and a detector made for each (its localInit) began again with an empty
        // resolver cache, a dozen times in a scan of the stdlib. Each detector is back in the bag once the loop is done.
        var detectors = new ConcurrentBag<SinkDetector>();
        Parallel.For(
            0,
            project.Modules.Count,
            options,
            () => detectors.TryTake(out var idle) ? idle
                : new SinkDetector(_models, new ValueResolver(project, _modelNamespaces, _receiverContexts), Dependencies, IsDangerousGlobal),
            (i, _, detector) =>
            {
                var module = project.Modules[i];
                var callees = new IReadOnlyList<SymbolicValue>[module.Calls.Count];
                moduleFindings[i] = detector.Detect(module, callees, ct);
                taintIndex?.ResolveModule(i, callees, detector.References, detector.Resolver);
                return detector;
            },
            detectors.Add);
        var findings = moduleFindings.SelectMany(f => f).ToArray();
        ScanTimings.Lap(clock, "sink detection");

        // Step 3: the taint engine proves source-to-sink paths and refines these findings (docs/taint.md).
        var (refined, notes) = TaintFindings.Refine(findings, project, _models, _modelNamespaces, _taint, taintIndex,
            detectors.SelectMany(detector => detector.ProgramControlled).ToHashSet<Finding>(ReferenceEqualityComparer.Instance),
            detectors.SelectMany(detector => detector.Reasons).ToDictionary<Finding, string>(ReferenceEqualityComparer.Instance), ct);
        foreach (var note in notes)
        {
            errors.Add(note);
        }

        ScanTimings.Lap(clock, "taint");
        foreach (var (module, count) in project.QueriesCutShort)
        {
            errors.Add(new InputError(module.Path,
                $"name resolution gave up on {count} quer{(count == 1 ? "y" : "ies")} here after {ValueResolver.MaxWorkPerQuery} steps each (a pathological chain of aliases, members or call results): a deserializer reached through them may not be recognised and paths through them may be missing"));
        }

        // Safe replacements for the findings that have one (docs/fixes.md).
        refined = FindingFixes.Attach(refined, project, new ValueResolver(project, _modelNamespaces, _receiverContexts));

        ScanTimings.Lap(clock, "fixes");
        var ordered = refined
            .OrderBy(f => f.Location.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line)
            .ThenBy(f => f.Location.Column)
            .ThenBy(f => f.RuleCode, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToArray();
        var orderedErrors = errors.OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Message, StringComparer.Ordinal).ToArray();
        return new CodeScanResult(ordered, orderedErrors);
    }

    /// <summary>How a syntax error's message starts: a notebook's scan replaces it with the cell and the line in it.</summary>
    public static string SyntaxErrorAt(int line) => $"syntax error at line {line}";

    /// <summary>A syntax error's whole message, <paramref name="where"/> being <c>at line 3</c> or <c>in cell 2, line 1</c>.</summary>
    public static string SyntaxErrorMessage(string where, string message) => $"syntax error {where} (the rest of the file was still analysed): {message}";

    private static ModuleModel? Load(SourceInput file, ISet<string> packages, ConcurrentBag<InputError> errors)
    {
        var source = file.Text ?? (file.Content is null ? null : SourceText.From(file.Content, file.Path));
        if (source is null)
        {
            errors.Add(new InputError(file.Path, "no content"));
            return null;
        }
        if (source.DecodeDiagnostics.Count > 0)
        {
            errors.Add(new InputError(file.Path, "cannot decode the file as Python source: " + source.DecodeDiagnostics[0].Message));
            return null;
        }
        var parse = PythonParser.Parse(source);
        if (parse.HasSyntaxErrors)
        {
            var first = parse.Diagnostics.First(d => !d.IsPython2);
            var line = source.GetLinePosition(first.Span.Start).Line;
            errors.Add(new InputError(file.Path, SyntaxErrorMessage($"at line {line}", first.Message)) { Line = line });
        }
        var (name, isPackage) = ModuleNames.Compute(file.Path, packages);
        return ModuleModel.Build(parse, name, isPackage);
    }
}
