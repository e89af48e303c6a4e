using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg105NumpyAllowPickle
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG105",
        "numpy-allow-pickle",
        "NumPy load with pickled object arrays allowed",
        Severity.Medium,
        502,
        "Reports `numpy.load` when `allow_pickle` is `True` or not provably `False` (a variable, `**kwargs`).",
        "Object arrays in `.npy`/`.npz` files are stored as pickles; with `allow_pickle` enabled, loading a crafted "
        + "file runs code (CVE-2019-6446 made `False` the default).",
        "```python\narr = np.load(path, allow_pickle=True)  # PG105\n```",
        "Leave `allow_pickle` at its default `False` and store numeric arrays only; keep object data in JSON. "
        + "`pickleguard scan --fix` turns a literal `allow_pickle=True` into `False` when nothing in the file reads "
        + "object arrays (`.item()`, `[()]`, `dtype=object`); see docs/fixes.md.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://numpy.org/doc/stable/reference/generated/numpy.load.html",
            "https://nvd.nist.gov/vuln/detail/CVE-2019-6446",
        ]);
}
