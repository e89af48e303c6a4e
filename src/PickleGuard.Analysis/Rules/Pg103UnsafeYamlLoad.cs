using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg103UnsafeYamlLoad
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG103",
        "unsafe-yaml-load",
        "YAML loaded with an object-constructing loader",
        Severity.Medium,
        502,
        "Reports PyYAML `load`/`load_all` unless the Loader (positional or keyword) is `SafeLoader`, `CSafeLoader`, "
        + "`BaseLoader`, `CBaseLoader` (also as `yaml.loader.*`/`yaml.cyaml.*`) or a project class that subclasses one "
        + "of them (mixing in a resolver keeps it safe; giving it PyYAML's `construct_python_*` object constructors "
        + "with `add_constructor`/`add_multi_constructor` does not); a missing Loader is reported (the pre-5.1 default "
        + "was unsafe). Always reports `unsafe_load*` and `full_load*`; `safe_load*` only when the project gave "
        + "`SafeLoader` itself such a constructor (`yaml.add_constructor(..., Loader=yaml.SafeLoader)`). For ruamel.yaml, reports `YAML(typ=\"unsafe\").load` (and a `typ` that is not provably safe) "
        + "and the legacy `ruamel.yaml.load` without a safe Loader.",
        "The full and unsafe loaders honour `!!python/object/apply:` and related tags, which import modules and call "
        + "functions named in the document. A YAML file or request body then runs code (CVE-2017-18342; FullLoader "
        + "bypasses CVE-2020-1747 and CVE-2020-14343).",
        "```python\nimport yaml\nconfig = yaml.load(text, Loader=yaml.Loader)  # PG103\n```",
        "`yaml.safe_load(text)` or `yaml.load(text, Loader=yaml.SafeLoader)` (CSafeLoader for speed); for ruamel.yaml "
        + "`YAML(typ=\"safe\")` or the default round-trip loader. `pickleguard scan --fix` (or `--diff` to preview) "
        + "makes this change for PyYAML when the Loader is one of PyYAML's own and nothing in the file needs Python "
        + "objects (no `!!python/` tags, constructors or loader subclasses); see docs/fixes.md.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation",
            "https://nvd.nist.gov/vuln/detail/CVE-2017-18342",
        ]);
}
