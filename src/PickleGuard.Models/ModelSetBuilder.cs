namespace PickleGuard.Models;

/// <summary>Collects entries from model files before the immutable <see cref="ModelSet"/> is built.</summary>
internal sealed class ModelSetBuilder
{
    public List<SinkModel> Sinks { get; } = [];

    public List<SerializerModel> Serializers { get; } = [];

    public List<PropagatorModel> Propagators { get; } = [];

    public List<SettingModel> Settings { get; } = [];

    public List<ModelFileInfo> Files { get; } = [];

    public TaintModelBuilder Taint { get; } = new();

    public Dictionary<string, string> ImportInfoModules { get; } = new(StringComparer.Ordinal);
}
