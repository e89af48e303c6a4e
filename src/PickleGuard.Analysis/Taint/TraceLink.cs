using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// One step of a taint trace, linked to the step before it (persistent: traces share their common prefix).
/// Positions stay offsets until a finding is reported.
/// </summary>
internal sealed class TraceLink
{
    public const int MaxLength = 60;

    private TraceLink(ModuleModel module, int offset, string message, TraceStepKind kind, TraceLink? previous)
    {
        Module = module;
        Offset = offset;
        Message = message;
        Kind = kind;
        Previous = previous;
        Length = (previous?.Length ?? 0) + 1;
    }

    public ModuleModel Module { get; }

    public int Offset { get; }

    public string Message { get; }

    public TraceStepKind Kind { get; }

    public TraceLink? Previous { get; }

    public int Length { get; }

    public static TraceLink Start(ModuleModel module, int offset, string message) =>
        new(module, offset, message, TraceStepKind.Source, null);

    /// <summary>A further step; when the trace is already at its limit the step is dropped (the sink is always kept).</summary>
    public TraceLink Then(ModuleModel module, int offset, string message, TraceStepKind kind = TraceStepKind.Step) =>
        Length >= MaxLength && kind != TraceStepKind.Sink ? this : new TraceLink(module, offset, message, kind, this);

    /// <summary>This trace followed by every step of <paramref name="chain"/> (a callee's parameter-to-X path).</summary>
    public TraceLink Splice(TraceLink chain)
    {
        var steps = new List<TraceLink>(chain.Length);
        for (var link = chain; link is not null; link = link.Previous)
        {
            steps.Add(link);
        }
        var result = this;
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            result = result.Then(step.Module, step.Offset, step.Message, step.Kind == TraceStepKind.Source ? TraceStepKind.Step : step.Kind);
        }
        return result;
    }

    public IReadOnlyList<TraceStep> ToSteps()
    {
        var steps = new List<TraceStep>(Length);
        for (var link = this; link is not null; link = link.Previous)
        {
            var position = link.Module.Source.GetLinePosition(Math.Clamp(link.Offset, 0, link.Module.Source.Text.Length));
            steps.Add(new TraceStep(new Location(link.Module.Path, position.Line, position.Column + 1), link.Message, link.Kind));
        }
        steps.Reverse();
        return steps;
    }
}
