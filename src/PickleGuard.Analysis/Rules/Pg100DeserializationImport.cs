using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg100DeserializationImport
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG100",
        "deserialization-import",
        "Deserialization library imported",
        Severity.Info,
        502,
        "Reports an import of a library whose loaders can execute code while decoding: `pickle`, `cPickle`, `_pickle`, `pickle5`, "
        + "`dill`, `cloudpickle`, `shelve`, `marshal`, `joblib`, `jsonpickle`, `yaml`, `ruamel.yaml`. It is step 1 of a "
        + "deserialization review: it says where to look, not that anything is wrong.",
        "These libraries rebuild arbitrary objects from their input. A module that imports one is where untrusted data "
        + "may reach a loader; every other rule in this family points at the exact call.",
        "```python\nimport pickle  # PG100: review how this module uses pickle\n```",
        "Nothing to change for the import itself. Prefer data-only formats (JSON, MessagePack, Protocol Buffers, "
        + "safetensors) for anything that crosses a trust boundary.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/pickle.html",
        ]);
}
