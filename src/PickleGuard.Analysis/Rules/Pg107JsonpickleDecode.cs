using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg107JsonpickleDecode
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG107",
        "jsonpickle-decode",
        "jsonpickle decoding",
        Severity.Medium,
        502,
        "Reports `jsonpickle.decode`, `jsonpickle.loads`, `jsonpickle.unpickler.decode` and `Unpickler().restore`.",
        "jsonpickle's JSON looks harmless but its `py/object`, `py/reduce` and `py/function` tags import and call "
        + "what the document names (CVE-2020-22083); the project itself warns it is not secure.",
        "```python\nobj = jsonpickle.decode(request.data)  # PG107\n```",
        "Use plain `json` with explicit schema validation (pydantic, dataclasses), converting to objects yourself.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://jsonpickle.github.io/",
            "https://nvd.nist.gov/vuln/detail/CVE-2020-22083",
        ]);
}
