using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Fixes;

/// <summary>
/// Attaches a fix to each PG103/PG104/PG105 finding that has a safe, behaviour-preserving replacement, or appends to
/// its message why there is none. Every fix is checked: its edits applied to the file must parse with no new
/// diagnostics (docs/fixes.md).
/// </summary>
internal static class FindingFixes
{
    public static Finding[] Attach(IReadOnlyList<Finding> findings, ProjectModel project, ValueResolver resolver)
    {
        var modules = project.Modules.GroupBy(m => m.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var facts = new Dictionary<string, FileFacts>(StringComparer.Ordinal);
        var callsByPosition = new Dictionary<string, ILookup<(int Line, int Column), CallSite>>(StringComparer.Ordinal);
        var outcomes = new FixOutcome[findings.Count];
        var located = new ModuleModel?[findings.Count];
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            if (finding.RuleCode is not ("PG103" or "PG104" or "PG105") || !modules.TryGetValue(finding.Location.Path, out var module)
                || Locate(module, finding, resolver, CallsByPosition(module, callsByPosition)) is not { } site)
            {
                continue;
            }
            if (!facts.TryGetValue(module.Path, out var fileFacts))
            {
                fileFacts = FileFacts.Of(module.Parse);
                facts[module.Path] = fileFacts;
            }
            outcomes[i] = Propose(site, fileFacts, resolver);
            located[i] = module;
        }
        CheckParses(outcomes, located);
        var result = new Finding[findings.Count];
        for (var i = 0; i < findings.Count; i++)
        {
            var outcome = outcomes[i];
            if (outcome.Fix is not null && findings[i].Location.Path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                outcome = FixOutcome.Because("fixes are not applied to notebooks; change the cell by hand");
            }
            result[i] = outcome switch
            {
                { Fix: { } fix } => findings[i] with { Fix = fix },
                { Note: { } note } => findings[i] with { Message = $"{findings[i].Message} No automatic fix: {note}." },
                _ => findings[i],
            };
        }
        return result;
    }

    /// <summary>
    /// A fix must leave the file parseable: no more diagnostics after the edits than before. All fixes of a file are
    /// tried together first (one parse per file); only when that fails is each checked on its own.
    /// </summary>
    private static void CheckParses(FixOutcome[] outcomes, ModuleModel?[] modules)
    {
        var byModule = Enumerable.Range(0, outcomes.Length)
            .Where(i => outcomes[i].Fix is not null)
            .GroupBy(i => modules[i]!);
        foreach (var group in byModule)
        {
            var module = group.Key;
            var together = new EditSet();
            var alone = group.Where(i => !together.TryAdd(outcomes[i].Fix!.Edits)).ToList();
            if (!Parses(module, together))
            {
                alone = [.. group];
            }
            foreach (var i in alone)
            {
                var single = new EditSet();
                if (!single.TryAdd(outcomes[i].Fix!.Edits) || !Parses(module, single))
                {
                    outcomes[i] = FixOutcome.Because("the edit would not leave the file parseable");
                }
            }
        }
    }

    private static bool Parses(ModuleModel module, EditSet edits) =>
        edits.ApplyTo(module.Source.Text) is { } fixedText
        && PythonParser.Parse(fixedText, module.Path).Diagnostics.Count <= module.Parse.Diagnostics.Count;

    private static FixOutcome Propose(FixSite site, FileFacts facts, ValueResolver resolver)
    {
        var outcome = site.ApiPath switch
        {
            var path when YamlFixer.Handles(path) => YamlFixer.Propose(site, facts, resolver),
            var path when TorchFixer.Handles(path) => TorchFixer.Propose(site),
            var path when NumpyFixer.Handles(path) => NumpyFixer.Propose(site, facts),
            _ => FixOutcome.None,
        };
        // An argument the library takes may be one the project function does not (sktime's `torch.load = patched_load`,
        // a vendored copy of the library).
        if (outcome.Fix is null || site.AlsoProjectFunctions is not [var function, ..] functions)
        {
            return outcome;
        }
        var module = function.Scope.Module;
        var line = module.Source.GetLinePosition(function.Node.Span.Start).Line;
        var more = functions.Count > 1 ? $" and {functions.Count - 1} more" : "";
        return FixOutcome.Because($"the callee may also be the project's function `{function.Name}` ({module.Path}:{line}){more}");
    }

    /// <summary>The call the finding was reported at whose callee resolves to one fixable API (a chained call such as
    /// <c>yaml.load(s).get(k)</c> starts at the same position).</summary>
    private static FixSite? Locate(ModuleModel module, Finding finding, ValueResolver resolver, ILookup<(int Line, int Column), CallSite> calls)
    {
        foreach (var callSite in calls[(finding.Location.Line, finding.Location.Column)])
        {
            var callees = resolver.Resolve(callSite.Call.Func, EvalContext.At(callSite));
            // A project function besides the API: a library function the program replaces (`torch.load = patched_load`).
            var projectFunctions = callees.OfType<FunctionValue>().Select(f => f.Function).Distinct()
                .OrderBy(f => f.Scope.Module.Path, StringComparer.Ordinal).ThenBy(f => f.Node.Span.Start).ToList();
            var paths = callees.Where(v => v is not FunctionValue).Select(v => v is ApiValue api ? api.Path : null)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (paths is [{ } path] && (YamlFixer.Handles(path) || TorchFixer.Handles(path) || NumpyFixer.Handles(path)))
            {
                return new FixSite(module, callSite, path) { AlsoProjectFunctions = projectFunctions };
            }
        }
        return null;
    }

    /// <summary>A module's calls by the 1-based line and column findings report, built once per module that needs it.</summary>
    private static ILookup<(int Line, int Column), CallSite> CallsByPosition(ModuleModel module, Dictionary<string, ILookup<(int, int), CallSite>> cache)
    {
        if (!cache.TryGetValue(module.Path, out var lookup))
        {
            lookup = module.Calls.ToLookup(c => module.Source.GetLinePosition(c.Call.Span.Start) is var p ? (p.Line, p.Column + 1) : default);
            cache[module.Path] = lookup;
        }
        return lookup;
    }
}
