using PickleGuard.Analysis.Rules;
using PickleGuard.Core;

namespace PickleGuard.Analysis;

/// <summary>
/// The source-code rules (PG100–PG199). Each rule's documentation lives in its own file under <c>Rules/</c>;
/// model files refer to rules by code.
/// </summary>
public static class CodeRules
{
    public const string DeserializationImport = "PG100";

    public static IReadOnlyList<RuleDescriptor> All { get; } =
    [
        Pg100DeserializationImport.Descriptor,
        Pg101PickleLoad.Descriptor,
        Pg102MarshalLoad.Descriptor,
        Pg103UnsafeYamlLoad.Descriptor,
        Pg104TorchLoad.Descriptor,
        Pg105NumpyAllowPickle.Descriptor,
        Pg106PickleBackedFile.Descriptor,
        Pg107JsonpickleDecode.Descriptor,
        Pg108KerasUnsafeMode.Descriptor,
        Pg109UnsafeIpcReceive.Descriptor,
        Pg110PickleEnablingSetting.Descriptor,
    ];

    public static RuleDescriptor? Find(string code) => All.FirstOrDefault(r => r.Code == code);
}
