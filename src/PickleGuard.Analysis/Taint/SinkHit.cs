using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>The most severe tainted origin found to reach one sink, with its full trace ending at the sink.</summary>
internal sealed record SinkHit(SinkKey Sink, TaintOrigin Origin)
{
    /// <summary>high: remote or network data; medium: local or library input; low: verified on the way.</summary>
    public Severity Severity => Origin.Verified is not null ? Severity.Low
        : Origin.Kind is "remote" or "network-data" ? Severity.High
        : Severity.Medium;

    /// <summary>
    /// The more severe hit; at the same severity a direct path beats one through an opened file (the source's own
    /// bytes reaching the sink is stronger evidence than the source choosing which file does), then the shorter trace.
    /// </summary>
    public bool IsBetterThan(SinkHit other)
    {
        if (Severity != other.Severity)
        {
            return Severity > other.Severity;
        }
        if ((Origin.Opened is null) != (other.Origin.Opened is null))
        {
            return Origin.Opened is null;
        }
        return Origin.Trace.ShownLength < other.Origin.Trace.ShownLength;
    }
}
