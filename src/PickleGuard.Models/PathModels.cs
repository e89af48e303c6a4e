namespace PickleGuard.Models;

/// <summary>
/// Every model that names one API path exactly: its sinks, serializer, propagator, sanitizer, callback sources, hook,
/// runner, command runner, and whether it is a record base. One entry per path (<see cref="PathModelTable"/>), so what
/// the models say about a path is one lookup, and a path no model names (most paths a project calls) is answered by
/// that one miss. A model kind looked up by exact path is a member here, never a table of its own: a caller asking
/// once (the taint index's API facts) would miss a separate table.
/// </summary>
public sealed class PathModels
{
    private List<SinkModel>? _sinks;
    private List<CallbackSourceModel>? _callbacks;

    internal PathModels()
    {
    }

    /// <summary>The sinks naming the path, in model order.</summary>
    public IReadOnlyList<SinkModel> Sinks => _sinks ?? (IReadOnlyList<SinkModel>)Array.Empty<SinkModel>();

    public SerializerModel? Serializer { get; internal set; }

    public PropagatorModel? Propagator { get; internal set; }

    public SanitizerModel? Sanitizer { get; internal set; }

    /// <summary>The callback sources naming the path itself (not those found by method on objects, <see cref="TaintModels.CallbackSourcesFor"/>), in model order.</summary>
    public IReadOnlyList<CallbackSourceModel> Callbacks => _callbacks ?? (IReadOnlyList<CallbackSourceModel>)Array.Empty<CallbackSourceModel>();

    public HookModel? Hook { get; internal set; }

    public RunnerModel? Runner { get; internal set; }

    /// <summary>The source whose calls run a command (<see cref="SourceModel.RunsCommand"/>) naming the path.</summary>
    public SourceModel? CommandRunner { get; internal set; }

    public bool IsRecordBase { get; internal set; }

    internal void AddSink(SinkModel sink) => (_sinks ??= []).Add(sink);

    internal void AddCallback(CallbackSourceModel callback) => (_callbacks ??= []).Add(callback);
}
