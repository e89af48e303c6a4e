using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Step 3 of the review method, applied to the sink findings of steps 1 and 2: a sink that a source reaches gets
/// the path as its trace and the severity of the source (high for remote and network data, medium for local input,
/// low when a sanitizer verified the data on the way). Findings already low (a mitigation, program data) stay low.
/// </summary>
internal static class TaintFindings
{
    /// <summary>Runs the taint engine over <paramref name="project"/> and refines <paramref name="findings"/> with it.</summary>
    /// <param name="index">The index whose calls sink detection resolved; built by the engine when null.</param>
    public static (IReadOnlyList<Finding> Findings, IReadOnlyList<InputError> Notes) Refine(
        IReadOnlyList<Finding> findings, ProjectModel project, ModelSet models, ISet<string> modelNamespaces, TaintOptions options, CancellationToken ct,
        ProjectIndex? index = null)
    {
        if (!options.Enabled)
        {
            return (findings, []);
        }
        var result = new TaintEngine(models, options).Run(project, modelNamespaces, ct, index);
        var hits = new Dictionary<(string, int, int, string), SinkHit>();
        foreach (var hit in result.Hits)
        {
            var position = hit.Sink.Module.Source.GetLinePosition(hit.Sink.Call.Span.Start);
            var key = (hit.Sink.Module.Path, position.Line, position.Column + 1, hit.Sink.Model.Rule);
            if (!hits.TryGetValue(key, out var other) || hit.IsBetterThan(other))
            {
                hits[key] = hit;
            }
        }
        var refined = findings
            .Select(f => hits.TryGetValue((f.Location.Path, f.Location.Line, f.Location.Column, f.RuleCode), out var hit) ? Apply(f, hit) : f)
            .ToArray();
        return (refined, result.Notes);
    }

    private static Finding Apply(Finding finding, SinkHit hit)
    {
        var origin = hit.Origin;
        var trace = origin.Trace.ToSteps();
        if (finding.Severity == Severity.Low)
        {
            return finding with { Trace = trace };
        }
        var sink = hit.Sink;
        var steps = trace.Count - 1;
        // A receiving sink that is its own source (`sock.recv_pyobj()`) decodes what the peer sends, with no step between.
        var what = origin.Label == sink.Display && steps == 1
            ? $"`{sink.Display}` decodes what the peer sends, a {origin.Kind} source"
            : $"`{sink.Display}` decodes data from {origin.Label}, a {origin.Kind} source ({steps} step{(steps == 1 ? "" : "s")} away)";
        var message = hit.Severity switch
        {
            Severity.High => $"{what}: {sink.Model.Reason}.",
            Severity.Low => $"{what}, but {origin.Verified}. Keep the check: {sink.Model.Reason}.",
            _ => $"{what}; whoever controls that input controls this call: {sink.Model.Reason}.",
        };
        return finding with { Severity = hit.Severity, Message = message, Trace = trace };
    }
}
