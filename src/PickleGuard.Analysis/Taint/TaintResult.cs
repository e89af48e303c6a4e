using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Tainted sinks (one per call), source data held back from sinks that have no hit by a flag no project call sets
/// (<see cref="HeldBackHit"/>), and notes on where a budget cut the analysis short.
/// </summary>
internal sealed record TaintResult(IReadOnlyList<SinkHit> Hits, IReadOnlyList<HeldBackHit> HeldBack, IReadOnlyList<InputError> Notes);

/// <summary>
/// Source data that reaches <paramref name="Sink"/> only while <paramref name="Condition"/> holds (autogluon's <c>if not
/// trust_remote: raise</c> before the load), which no project call makes hold (<see cref="FunctionSummary.GuardedHits"/>):
/// the sink's step-2 finding keeps its severity and says what the flag holds back. <paramref name="Relays"/>: the
/// wrappers the flag was handed through (the outermost function's flag is the one a caller would set).
/// </summary>
internal sealed record HeldBackHit(SinkKey Sink, TaintOrigin Origin, string Condition, int Relays);
