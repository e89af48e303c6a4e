using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>The most severe tainted origin found to reach one sink, with its full trace ending at the sink.</summary>
internal sealed record SinkHit(SinkKey Sink, TaintOrigin Origin)
{
    /// <summary>high: remote or network data; medium: local or library input; low: verified on the way.</summary>
    public Severity Severity => Origin.Verified is not null ? Severity.Low
        : Origin.Kind is "remote" or "network-data" ? Severity.High
        : Severity.Medium;

    public bool IsBetterThan(SinkHit other) =>
        Severity > other.Severity || (Severity == other.Severity && Origin.Trace.Length < other.Origin.Trace.Length);
}
