using PickleGuard.Analysis.Semantic;
using PickleGuard.Core;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// One step of a taint trace, linked to the step before it (persistent: traces share their common prefix).
/// Positions stay offsets until a finding is reported. A trace shows at most <see cref="MaxLength"/> steps, and after
/// them only the ones a report depends on: the sink and the trace's first opening (<see cref="Opened"/>).
/// <see cref="Then"/> drops the others once the trace is that long, and a splice keeps the callee's whole chain and
/// leaves the limit to <see cref="Expand"/>, so splicing costs one node whatever the lengths. A splice node is a
/// <see cref="SpliceLink"/>, so a plain step (most links) has no field for a chain. A step whose text is made from parts
/// when read (<see cref="StepText"/>) is a <see cref="PartsLink"/>.
/// </summary>
internal class TraceLink
{
    public const int MaxLength = 60;

    /// <summary>Beyond this many steps (a chain spliced into itself, level after level) a splice is expanded and cut at once.</summary>
    private const int MaxLazyLength = 1 << 20;

    // Length, kind and flags in one int (a link is 48 bytes: it is the most frequent object of the fixpoint). The length
    // stays far below 2^24: a lazy splice is at most MaxLazyLength long, and beyond MaxLength only sinks and openings are added.
    private const int LengthMask = (1 << 24) - 1;
    private const int KindShift = 24;
    private const int OpensFlag = 1 << 26;
    private const int OpenedFlag = 1 << 27;
    private const int SinkFlag = 1 << 28;

    private readonly int _packed;

    /// <summary>The text (<see cref="Message"/>), or for a <see cref="PartsLink"/> its <see cref="StepText.Phrase"/>.</summary>
    private readonly string _message;

    private TraceLink(ModuleModel module, int offset, string message, TraceStepKind kind, TraceLink? previous, bool opens = false)
    {
        Module = module;
        Offset = offset;
        _message = message;
        Previous = previous;
        _packed = ((previous?.Length ?? 0) + 1) | (int)kind << KindShift
            | (opens ? OpensFlag | OpenedFlag : 0) | (previous is { HasOpened: true } ? OpenedFlag : 0)
            | (kind == TraceStepKind.Sink || previous is { HasSink: true } ? SinkFlag : 0);
    }

    /// <summary>
    /// A splice: <paramref name="prefix"/> followed by the steps of <paramref name="chain"/>, expanded when read. Its own
    /// module, offset and text are never read (every reader walks into <see cref="Spliced"/>); the chain's are copied
    /// as they are, so a chain ending in a <see cref="PartsLink"/> has no text made here.
    /// </summary>
    private TraceLink(TraceLink prefix, TraceLink chain)
    {
        Module = chain.Module;
        Offset = chain.Offset;
        _message = chain._message;
        Previous = prefix;
        _packed = (prefix.Length + chain.Length) | (int)chain.Kind << KindShift
            | (prefix.HasOpened || chain.HasOpened ? OpenedFlag : 0) | (prefix.HasSink || chain.HasSink ? SinkFlag : 0);
    }

    public ModuleModel Module { get; }

    public int Offset { get; }

    /// <summary>The step's text (made here for a <see cref="PartsLink"/>: only reports read it).</summary>
    public string Message => this is PartsLink parts ? StepText.Format(Module, _message, parts.Detail) : _message;

    public TraceStepKind Kind => (TraceStepKind)(_packed >> KindShift & 3);

    public TraceLink? Previous { get; }

    /// <summary>For a splice node: the callee's chain whose steps follow <see cref="Previous"/>.</summary>
    private TraceLink? Spliced => (this as SpliceLink)?.Chain;

    /// <summary>The number of steps, spliced chains counted whole (the report shows <see cref="ShownLength"/>).</summary>
    public int Length => _packed & LengthMask;

    /// <summary>The number of steps the report shows: the first <see cref="MaxLength"/> and the kept ones after them.</summary>
    public int ShownLength => Length <= MaxLength ? Length : Expand().Count;

    /// <summary>
    /// The first step of this trace that opened the file at a tainted path (<c>open(path)</c>), described for the
    /// report ("opened by `open` (a.py:12)"), or null: from there on the data is that file's content, chosen by the
    /// source, not the source's own bytes. Found through the links (the analyses only ask <see cref="HasOpened"/>).
    /// </summary>
    public string? Opened
    {
        get
        {
            if (!HasOpened)
            {
                return null;
            }
            var link = this;
            while (true)
            {
                if (link.Previous is { HasOpened: true } previous)
                {
                    link = previous;
                }
                else if (link is SpliceLink splice)
                {
                    link = splice.Chain;
                }
                else
                {
                    return ((OpeningLink)link).Description;
                }
            }
        }
    }

    /// <summary>Some step opened a file (<see cref="Opened"/>): carried along the links so a callee's chain brings it into its callers.</summary>
    public bool HasOpened => (_packed & OpenedFlag) != 0;

    /// <summary>This step opened a file (the trace's first opening when no step before it did).</summary>
    private bool Opens => (_packed & OpensFlag) != 0;

    /// <summary>Some step is a sink.</summary>
    private bool HasSink => (_packed & SinkFlag) != 0;

    public static TraceLink Start(ModuleModel module, int offset, StepText text) => Make(module, offset, text, TraceStepKind.Source, null);

    /// <summary>
    /// A further step; when the trace is already at its limit the step is dropped unless it is the sink or the
    /// trace's first opening (<paramref name="opened"/>): the report depends on them.
    /// </summary>
    public TraceLink Then(ModuleModel module, int offset, StepText text, TraceStepKind kind = TraceStepKind.Step, string? opened = null) =>
        Length >= MaxLength && kind != TraceStepKind.Sink && (opened is null || HasOpened)
            ? this
            : opened is null ? Make(module, offset, text, kind, this) : new OpeningLink(module, offset, text.Format(module), kind, this, opened);

    /// <summary>A step of text <paramref name="text"/>: a plain link for a whole text, a <see cref="PartsLink"/> for one made when read.</summary>
    private static TraceLink Make(ModuleModel module, int offset, StepText text, TraceStepKind kind, TraceLink? previous) =>
        text.Detail is { } detail ? new PartsLink(module, offset, text.Phrase, detail, kind, previous) : new TraceLink(module, offset, text.Phrase, kind, previous);

    /// <summary>This trace followed by every step of <paramref name="chain"/> (a callee's parameter-to-X path).</summary>
    public TraceLink Splice(TraceLink chain)
    {
        if (Length >= MaxLength && !chain.HasSink && (!chain.HasOpened || HasOpened))
        {
            return this; // every step of the chain would be dropped
        }
        if (Length + chain.Length <= MaxLazyLength)
        {
            return new SpliceLink(this, chain);
        }
        var result = this;
        foreach (var step in chain.Expand())
        {
            result = result.Then(step.Module, step.Offset, step.Message, step.Kind == TraceStepKind.Source ? TraceStepKind.Step : step.Kind,
                step.Opens ? step.Opened : null);
        }
        return result;
    }

    public IReadOnlyList<TraceStep> ToSteps()
    {
        var steps = new List<TraceStep>(Math.Min(Length, MaxLength + 4));
        foreach (var link in Expand())
        {
            var position = link.Module.Source.GetLinePosition(Math.Clamp(link.Offset, 0, link.Module.Source.Text.Length));
            steps.Add(new TraceStep(new Location(link.Module.Path, position.Line, position.Column + 1), link.Message, link.Kind));
        }
        if (steps.Count < Length && steps.Count > MaxLength)
        {
            // Past the first MaxLength steps only the sink and the first opening are kept: say so where they were left out.
            var left = Length - steps.Count;
            steps.Insert(MaxLength, new TraceStep(steps[MaxLength - 1].Location, $"… {left} more step{(left == 1 ? "" : "s")} not shown", TraceStepKind.Step));
        }
        return steps;
    }

    /// <summary>
    /// How many steps are in another module than <paramref name="module"/>, counting every step of a trace up to
    /// <paramref name="limit"/> steps long (spliced chains whole), or null for a longer one. No allocation: hits compare
    /// this on every tie, and the same hit comes back at each analysis of its unit.
    /// </summary>
    public int? StepsOutside(ModuleModel module, int limit)
    {
        if (Length > limit)
        {
            return null;
        }
        var outside = 0;
        for (var link = this; link is not null; link = link.Previous)
        {
            outside += link.Spliced is { } chain ? chain.StepsOutside(module, limit)!.Value : link.Module == module ? 0 : 1;
        }
        return outside;
    }

    /// <summary>
    /// The steps shown, first to last: splices expanded (a spliced chain's source step reads as a step), and after the
    /// first <see cref="MaxLength"/> only the sink and the first opening — what <see cref="Then"/> would have kept step
    /// by step. A part wholly past the limit with neither is not walked.
    /// </summary>
    private List<TraceLink> Expand()
    {
        var reversed = new List<TraceLink>(Math.Min(Length, MaxLength + 4));
        // Walked backwards; End is the position in the whole trace of the part's last step, OpenedBefore whether a
        // step before the part opened a file (then the part's openings are not the first).
        var pending = new Stack<(TraceLink Link, int End, bool InChain, bool OpenedBefore)>();
        pending.Push((this, Length, false, false));
        while (pending.TryPop(out var item))
        {
            var position = item.End;
            for (var link = item.Link; link is not null; link = link.Previous)
            {
                if (link.Spliced is { } chain)
                {
                    // The chain's steps come after everything before this node: walk it first (we go backwards).
                    var prefix = link.Previous!;
                    var before = position - chain.Length;
                    var openedBefore = item.OpenedBefore || prefix.HasOpened;
                    pending.Push((prefix, before, item.InChain, item.OpenedBefore));
                    if (before < MaxLength || chain.HasSink || chain.HasOpened && !openedBefore)
                    {
                        pending.Push((chain, position, true, openedBefore));
                    }
                    break;
                }
                var firstOpening = link.Opens && !item.OpenedBefore && link.Previous is not { HasOpened: true };
                if (position <= MaxLength || link.Kind == TraceStepKind.Sink || firstOpening)
                {
                    reversed.Add(item.InChain && link.Kind == TraceStepKind.Source
                        ? new TraceLink(link.Module, link.Offset, link.Message, TraceStepKind.Step, null)
                        : link);
                }
                position--;
            }
        }
        reversed.Reverse();
        return reversed;
    }

    /// <summary>A step that opened a file (rare: the description is not a field of every link).</summary>
    private sealed class OpeningLink(ModuleModel module, int offset, string message, TraceStepKind kind, TraceLink? previous, string description)
        : TraceLink(module, offset, message, kind, previous, opens: true)
    {
        /// <summary>What <see cref="Opened"/> reports when this is the trace's first opening.</summary>
        public string Description { get; } = description;
    }

    /// <summary>
    /// A step whose text is made when read (<see cref="Message"/>) from its <see cref="StepText"/>'s parts: the phrase in
    /// the base's field, the detail here (one field more than a plain link, instead of a string or two).
    /// </summary>
    private sealed class PartsLink(ModuleModel module, int offset, string phrase, object detail, TraceStepKind kind, TraceLink? previous)
        : TraceLink(module, offset, phrase, kind, previous)
    {
        public object Detail { get; } = detail;
    }

    /// <summary>A splice: <see cref="Chain"/> follows the links before it, expanded when read.</summary>
    private sealed class SpliceLink(TraceLink prefix, TraceLink chain) : TraceLink(prefix, chain)
    {
        public TraceLink Chain { get; } = chain;
    }
}
