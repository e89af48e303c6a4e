namespace PickleGuard.Models;

/// <summary>Collects source and sanitizer entries before <see cref="TaintModels"/> is built.</summary>
internal sealed class TaintModelBuilder
{
    public List<SourceModel> Sources { get; } = [];

    public List<ParameterSourceModel> ParameterSources { get; } = [];

    public List<CallbackSourceModel> CallbackSources { get; } = [];

    public List<ViewClassModel> ViewClasses { get; } = [];

    public List<HookModel> Hooks { get; } = [];

    public List<RunnerModel> Runners { get; } = [];

    public List<RecordBaseModel> RecordBases { get; } = [];

    public List<SanitizerModel> Sanitizers { get; } = [];
}
