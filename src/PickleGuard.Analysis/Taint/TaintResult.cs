using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>Tainted sinks (one per call) and notes on where a budget cut the analysis short.</summary>
internal sealed record TaintResult(IReadOnlyList<SinkHit> Hits, IReadOnlyList<InputError> Notes);
