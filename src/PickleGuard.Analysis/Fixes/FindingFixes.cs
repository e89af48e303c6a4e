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
        var result = new Finding[findings.Count];
        for (var i = 0; i < findings.Count; i++)
        {
            var finding = findings[i];
            result[i] = finding;
            if (finding.RuleCode is not ("PG103" or "PG104" or "PG105") || !modules.TryGetValue(finding.Location.Path, out var module)
                || Locate(module, finding, resolver) is not { } site)
            {
                continue;
            }
            if (!facts.TryGetValue(module.Path, out var fileFacts))
            {
                fileFacts = FileFacts.Of(module.Parse);
                facts[module.Path] = fileFacts;
            }
            var outcome = Checked(Propose(site, fileFacts, resolver), module);
            if (outcome.Fix is not null && module.Path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
            {
                outcome = FixOutcome.Because("fixes are not applied to notebooks; change the cell by hand");
            }
            result[i] = outcome switch
            {
                { Fix: { } fix } => finding with { Fix = fix },
                { Note: { } note } => finding with { Message = $"{finding.Message} No automatic fix: {note}." },
                _ => finding,
            };
        }
        return result;
    }

    private static FixOutcome Propose(FixSite site, FileFacts facts, ValueResolver resolver) =>
        site.ApiPath switch
        {
            var path when YamlFixer.Handles(path) => YamlFixer.Propose(site, facts, resolver),
            var path when TorchFixer.Handles(path) => TorchFixer.Propose(site),
            var path when NumpyFixer.Handles(path) => NumpyFixer.Propose(site, facts),
            _ => FixOutcome.None,
        };

    /// <summary>The call the finding was reported at whose callee resolves to one fixable API (a chained call such as
    /// <c>yaml.load(s).get(k)</c> starts at the same position).</summary>
    private static FixSite? Locate(ModuleModel module, Finding finding, ValueResolver resolver)
    {
        foreach (var callSite in module.Calls)
        {
            var position = module.Source.GetLinePosition(callSite.Call.Span.Start);
            if (position.Line != finding.Location.Line || position.Column + 1 != finding.Location.Column)
            {
                continue;
            }
            var paths = resolver.Resolve(callSite.Call.Func, EvalContext.At(callSite))
                .Select(v => v is ApiValue api ? api.Path : null)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (paths is [{ } path] && (YamlFixer.Handles(path) || TorchFixer.Handles(path) || NumpyFixer.Handles(path)))
            {
                return new FixSite(module, callSite, path);
            }
        }
        return null;
    }

    /// <summary>A fix must leave the file parseable: no more diagnostics after the edits than before.</summary>
    private static FixOutcome Checked(FixOutcome outcome, ModuleModel module)
    {
        if (outcome.Fix is not { } fix)
        {
            return outcome;
        }
        var edits = new EditSet();
        if (!edits.TryAdd(fix.Edits) || edits.ApplyTo(module.Source.Text) is not { } fixedText
            || PythonParser.Parse(fixedText, module.Path).Diagnostics.Count > module.Parse.Diagnostics.Count)
        {
            return FixOutcome.Because("the edit would not leave the file parseable");
        }
        return outcome;
    }
}
