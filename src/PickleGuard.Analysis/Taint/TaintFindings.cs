using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Step 3 of the review method, applied to the sink findings of steps 1 and 2: a sink that a source reaches gets
/// the path as its trace and the severity of the source (high for remote and network data, medium for local input,
/// low when a sanitizer verified the data on the way). Findings already low behind a mitigation stay low; a finding low only
/// because its input looked program-controlled takes the proven path's severity (an upload saved at a literal path
/// and loaded from it).
/// </summary>
internal static class TaintFindings
{
    /// <summary>Runs the taint engine over <paramref name="project"/> and refines <paramref name="findings"/> with it.</summary>
    /// <param name="index">The index whose calls sink detection resolved; null when taint tracking is off.</param>
    /// <param name="programControlled">The low findings that are low only for their input's provenance (<see cref="Detection.SinkDetector.ProgramControlled"/>).</param>
    /// <param name="reasons">The findings whose reason is not their sink model's (<see cref="Detection.SinkDetector.Reasons"/>).</param>
    public static (IReadOnlyList<Finding> Findings, IReadOnlyList<InputError> Notes) Refine(
        IReadOnlyList<Finding> findings, ProjectModel project, ModelSet models, ISet<string> modelNamespaces, TaintOptions options,
        ProjectIndex? index, IReadOnlySet<Finding> programControlled, IReadOnlyDictionary<Finding, string> reasons, CancellationToken ct)
    {
        if (!options.Enabled || index is null)
        {
            return (findings, []);
        }
        var result = new TaintEngine(models, options).Run(project, modelNamespaces, index, ct);
        var hits = new Dictionary<(string, int, int, string), SinkHit>();
        foreach (var hit in result.Hits)
        {
            var key = KeyOf(hit.Sink);
            if (!hits.TryGetValue(key, out var other) || hit.IsBetterThan(other))
            {
                hits[key] = hit;
            }
        }
        var heldBack = new Dictionary<(string, int, int, string), HeldBackHit>();
        foreach (var held in result.HeldBack)
        {
            heldBack[KeyOf(held.Sink)] = held;
        }
        var refined = findings.Select(Refined).ToArray();
        return (refined, result.Notes);

        Finding Refined(Finding f)
        {
            var key = (f.Location.Path, f.Location.Line, f.Location.Column, f.RuleCode);
            return hits.TryGetValue(key, out var hit) ? Apply(f, hit, programControlled.Contains(f), reasons.GetValueOrDefault(f) ?? hit.Sink.Model.Reason)
                : heldBack.TryGetValue(key, out var held) ? HeldBack(f, held, reasons.GetValueOrDefault(f) ?? held.Sink.Model.Reason)
                : f;
        }
    }

    private static (string, int, int, string) KeyOf(SinkKey sink)
    {
        var position = sink.Module.Source.GetLinePosition(sink.At.Span.Start);
        return (sink.Module.Path, position.Line, position.Column + 1, sink.Model.Rule);
    }

    /// <summary>
    /// A step-2 medium whose sink source data reaches only past a flag no project call sets: the severity stays, the
    /// message names the source and the flag instead of "origin unknown" (autogluon's <c>trust_remote</c>).
    /// </summary>
    private static Finding HeldBack(Finding finding, HeldBackHit held, string reason)
    {
        if (finding.Severity != Severity.Medium || !held.Origin.IsSource)
        {
            return finding;
        }
        var origin = held.Origin;
        var steps = origin.Trace.Length - 1;
        return finding with
        {
            Message = $"`{held.Sink.Display}` decodes data from {origin.Label}, a {origin.Kind} source ({steps} step{(steps == 1 ? "" : "s")} away), "
                + $"but {held.Condition}, and no call in the project makes it so: {reason}.",
            Trace = origin.Trace.ToSteps(),
        };
    }

    private static Finding Apply(Finding finding, SinkHit hit, bool programControlled, string reason)
    {
        var origin = hit.Origin;
        var trace = origin.Trace.ToSteps();
        if (finding.Severity == Severity.Low && !programControlled)
        {
            return finding with { Trace = trace };
        }
        var sink = hit.Sink;
        if (origin.Parameter == TaintOrigin.VerifiedUnknownIndex)
        {
            // Data of unknown origin verified before the sink (FunctionAnalyzer.VerifiedLocals.cs): only step 2's medium
            // changes; a literal's low stays as it is.
            return finding.Severity != Severity.Medium ? finding : finding with
            {
                Severity = Severity.Low,
                Message = $"`{sink.Display}` decodes '{origin.Label}', whose origin is unknown, but {origin.Verified}. Keep the check: {reason}.",
                Trace = trace,
            };
        }
        if (!origin.IsSource)
        {
            // A parameter verified before the sink (RecordVerifiedInput): where it comes from is unknown, but not forged.
            return finding with
            {
                Severity = Severity.Low,
                Message = $"`{sink.Display}` decodes parameter '{origin.Label}', whose origin is unknown, but {origin.Verified}. Keep the check: {reason}.",
                Trace = trace,
            };
        }
        var steps = origin.Trace.Length - 1; // the whole path, with the steps a long trace leaves out
        var distance = $"{steps} step{(steps == 1 ? "" : "s")} away";
        // Through an opened file the source names the file, it is not the file's content: say what the attacker then
        // needs. A receiving sink that is its own source (`sock.recv_pyobj()`, `load_state_dict_from_url(url)`) decodes what
        // it receives, with no step between.
        var (what, control) = origin.Opened is { } opened
            ? ($"`{sink.Display}` decodes the file at a path that comes from {origin.Label}, a {origin.Kind} source ({distance}; {opened})",
                "chooses which file is decoded — any payload they can place on this machine")
            : origin.Label == sink.Display && steps == 1
            ? ($"`{sink.Display}` decodes what it receives, a {origin.Kind} source", "controls this call")
            : ($"`{sink.Display}` decodes data from {origin.Label}, a {origin.Kind} source ({distance})", "controls this call");
        var message = hit.Severity switch
        {
            // A path from the network is mostly a download's (`hf_hub_download` returns where it saved the file).
            Severity.High when origin.HasOpened && origin.Kind == "network-data" =>
                $"{what}: a downloaded file holds whatever was served, and whoever controls the path {control}: {reason}.",
            Severity.High when origin.HasOpened => $"{what}: whoever controls the path {control}: {reason}.",
            Severity.High => $"{what}: {reason}.",
            Severity.Low => $"{what}, but {origin.Verified}. Keep the check: {reason}.",
            _ => $"{what}; whoever controls that input {control}: {reason}.",
        };
        return finding with { Severity = hit.Severity, Message = message, Trace = trace };
    }
}
