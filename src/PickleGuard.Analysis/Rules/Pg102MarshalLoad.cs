using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg102MarshalLoad
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG102",
        "marshal-load",
        "marshal deserialization",
        Severity.Medium,
        502,
        "Reports `marshal.load` and `marshal.loads`. Severity follows the provenance of the input as for PG101, "
        + "and a loader passed as a callable (`map(marshal.loads, items)`, `self.assertRaises(E, marshal.loads, b\"0\")`) is "
        + "reported as for PG101 (medium; low in a test assertion that expects it to fail), and so is the `marshal` module "
        + "handed to project code (`Stage(marshal)`).",
        "marshal is CPython's internal format for code objects. The documentation warns it is not secure against "
        + "erroneous or maliciously constructed data; decoded code objects are commonly executed, and malformed input "
        + "can crash the interpreter.",
        "```python\nimport marshal\ncode = marshal.loads(blob)  # PG102\nexec(code)\n```",
        "Never ship code objects across a trust boundary. Exchange data as JSON; if code must be distributed, ship "
        + "source through a signed, reviewed channel.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/marshal.html",
        ]);
}
