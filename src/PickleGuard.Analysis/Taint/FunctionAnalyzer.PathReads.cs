using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A file a callee decodes at a path built from its parameters (<c>joblib.load(f"{name}.pkl")</c> in
/// <c>_load_local(name)</c>, <see cref="FunctionSummary.PathReads"/>) is the file its caller names by building that
/// path from the arguments it passes: what the caller saved there (pycaret's <c>download_file(key,
/// f"{model_name}.pkl")</c>, then <c>load_model(model_name)</c>) reaches the callee's sink. A template is the value key
/// of the sink's path (FunctionAnalyzer.ValuePaths.cs) in the callee's parameters, as they were passed (pycaret's
/// <c>model_name = f"{model_name}.pkl"; joblib.load(model_name)</c> is <c>f"{model_name}.pkl"</c>); the caller's
/// argument keys are put in its slots and the path looked up among the caller's saves, local keys first.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Separates a parameter's index in a path template: no path text holds it.</summary>
    private const char SlotMark = '\u0001';

    /// <summary>The slot of parameter <paramref name="parameter"/> in a path template.</summary>
    private static string ParameterSlot(int parameter) => $"{SlotMark}{parameter}{SlotMark}";

    /// <summary>Records that <paramref name="sink"/> decodes the file at <paramref name="path"/> when that is built from parameters.</summary>
    private void NotePathRead(Expr path, SinkKey sink)
    {
        if (ValueContext(sink.Call) is { } context && ValuePathKey(path, context, 0, parameterSlots: true) is (var template, true))
        {
            _unit.OwnSummary.AddPathRead(template, sink);
        }
    }

    /// <summary>
    /// The callee's path reads at this call: what this function saved at the path a template gives with this call's
    /// arguments reaches the template's sinks, as source data (a hit) or a parameter's (this function's own summary).
    /// </summary>
    private void ApplyPathReads(TaintUnit callee, CallExpr call, int offset)
    {
        if (_localSaves is null && _valueSaves is null || callee.Summary.PathReads is not { } reads)
        {
            return;
        }
        // A function calling itself (pycaret's `load_model`) adds to the table while reading it: read a copy (a small one).
        foreach (var (template, sinks) in reads.ToArray())
        {
            if (SavedForTemplate(template, callee, call, offset) is not var (path, saved))
            {
                continue;
            }
            var read = saved.Step(_module, call.Span.Start, $"read back by '{callee.Name}' from the file at '{path}'");
            foreach (var sink in sinks.ToArray())
            {
                foreach (var origin in read.Origins)
                {
                    var trace = origin.Trace.Then(sink.Module, sink.At.Span.Start, $"reaches `{sink.Display}` ({sink.Model.Rule})", Core.TraceStepKind.Sink);
                    if (origin.IsSource)
                    {
                        _program.RecordHit(sink, origin with { Trace = trace });
                    }
                    else if (!_unit.Summary.HasSink(origin, sink))
                    {
                        _unit.OwnSummary.AddSink(origin, sink, trace);
                    }
                }
            }
        }
    }

    /// <summary>
    /// What this function saved at the path <paramref name="template"/> gives with this call's arguments, and that path
    /// as shown: the arguments' local keys (<see cref="LocalPathKey"/>) put into the slots, else their value keys
    /// (<see cref="ValuePathKey"/>: pycaret's download to <c>filename = f"{model_name}.pkl"</c>).
    /// </summary>
    private (string Path, TaintValue Saved)? SavedForTemplate(string template, TaintUnit callee, CallExpr call, int offset)
    {
        if (_localSaves is not null && CallersPath(template, callee, call, offset, argument => LocalPathKey(argument, 0)) is { } local
            && _localSaves.GetValueOrDefault(LocalPathMark + local) is { IsClean: false } saved)
        {
            return (local, saved);
        }
        if (_valueSaves is not null && ValueContext(call) is { } context
            && CallersPath(template, callee, call, offset, argument => ValuePathKey(argument, context, 0, parameterSlots: false)) is { } value
            && _valueSaves.GetValueOrDefault(value) is { IsClean: false } held)
        {
            return (Shown(value), held);
        }
        return null;
    }

    /// <summary>
    /// The key of the path <paramref name="template"/> gives with the arguments <paramref name="call"/> passes for its
    /// slots, each keyed by <paramref name="argumentKey"/>, when each has a key and one names a local; else null.
    /// </summary>
    private string? CallersPath(string template, TaintUnit callee, CallExpr call, int offset, Func<Expr, (string Text, bool Named)?> argumentKey)
    {
        var parts = template.Split(SlotMark);
        var named = false;
        // Split parts alternate: literal text, a slot's parameter index, literal text, ...
        for (var i = 1; i < parts.Length; i += 2)
        {
            if (ArgumentFor(callee, call, int.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture), offset) is not { } argument
                || argumentKey(argument) is not var (key, keyNamed))
            {
                return null;
            }
            parts[i] = key;
            named |= keyNamed;
        }
        return named ? string.Concat(parts) : null;
    }
}
