using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg108KerasUnsafeMode
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG108",
        "keras-unsafe-mode",
        "Keras model loaded with safe_mode disabled",
        Severity.Medium,
        502,
        "Reports `keras.models.load_model`/`keras.saving.load_model` (also `tensorflow.keras`) when `safe_mode` is "
        + "`False` or not provably `True`.",
        "With `safe_mode=False`, Keras deserializes `Lambda` layers, i.e. marshalled Python bytecode stored in the "
        + "model file, which runs when the model is built (CVE-2024-3660).",
        "```python\nmodel = keras.models.load_model(path, safe_mode=False)  # PG108\n```",
        "Keep `safe_mode=True` (the default) and replace `Lambda` layers with registered custom layer classes.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://keras.io/api/models/model_saving_apis/model_saving_and_loading/",
            "https://nvd.nist.gov/vuln/detail/CVE-2024-3660",
        ]);
}
