using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>The most severe tainted origin found to reach one sink, with its full trace ending at the sink.</summary>
internal sealed record SinkHit(SinkKey Sink, TaintOrigin Origin)
{
    /// <summary>
    /// high: remote or network data; medium: local or library input; low: verified on the way (the origin of a low hit
    /// may be a parameter, verified before the sink: FunctionAnalyzer.RecordVerifiedInput).
    /// </summary>
    public Severity Severity => Origin.Verified is not null ? Severity.Low
        : Origin.Kind is "remote" or "network-data" ? Severity.High
        : Severity.Medium;

    /// <summary>
    /// The more severe hit; at the same severity a path from a source beats a verified parameter's (it shows where the
    /// data comes from), a direct path one through an opened file (the source's own bytes reaching the sink is
    /// stronger evidence than the source choosing which file does), then the shorter trace, then the one with fewer steps
    /// outside the sink's module (a script's own save of the file it loads rather than another script's, which an
    /// earlier analysis may have seen first).
    /// </summary>
    /// <summary>Past this many steps (spliced chains counted whole) two equal traces are not told apart.</summary>
    private const int TieBreakLength = 4 * TraceLink.MaxLength;

    public bool IsBetterThan(SinkHit other)
    {
        if (Severity != other.Severity)
        {
            return Severity > other.Severity;
        }
        if (Origin.IsSource != other.Origin.IsSource)
        {
            return Origin.IsSource;
        }
        if (Origin.HasOpened != other.Origin.HasOpened)
        {
            return !Origin.HasOpened;
        }
        var (length, otherLength) = (Origin.Trace.ShownLength, other.Origin.Trace.ShownLength);
        if (length != otherLength)
        {
            return length < otherLength;
        }
        return Origin.Trace.StepsOutside(Sink.Module, TieBreakLength) is { } outside
            && other.Origin.Trace.StepsOutside(other.Sink.Module, TieBreakLength) is { } otherOutside
            && outside < otherOutside;
    }
}
