namespace PickleGuard.Core;

/// <summary>One step of a finding's evidence trail: source first, sink last.</summary>
public sealed record TraceStep(Location Location, string Message, TraceStepKind Kind = TraceStepKind.Step);
