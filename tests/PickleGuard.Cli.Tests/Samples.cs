using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Tests;

/// <summary>Hand-made findings and rules covering every field the reporters render.</summary>
internal static class Samples
{
    public static readonly RuleDescriptor CodeRule = new(
        "PG101", "pickle-loads-untrusted", "Untrusted data reaches pickle deserialization", Severity.High, 502,
        "Finds `pickle.loads` calls whose argument comes from an HTTP request.\n\nSecond paragraph.",
        "Unpickling runs arbitrary code chosen by whoever wrote the bytes.",
        "```python\npickle.loads(request.data)\n```",
        "```python\njson.loads(request.data)\n```",
        ["https://docs.python.org/3/library/pickle.html"]);

    public static readonly RuleDescriptor ArtifactRule = new(
        "PG301", "dangerous-global", "Artifact calls a dangerous callable", Severity.High, 502,
        "Finds pickles that import and call a callable such as `os.system`.", "Loading the file runs it.", "", "", []);

    public static Finding CodeFinding(string root) =>
        new("PG101", Severity.High, new Location(Path.Combine(root, "app", "routes.py"), 12, 12),
            "Untrusted data from request.cookies reaches pickle.loads.")
        {
            CodeLine = "    data = pickle.loads(base64.b64decode(request.cookies[\"session\"]))",
            Confidence = Confidence.High,
            Trace =
            [
                new TraceStep(new Location(Path.Combine(root, "app", "routes.py"), 11, 5), "request.cookies is user-controlled", TraceStepKind.Source),
                new TraceStep(new Location(Path.Combine(root, "app", "routes.py"), 12, 12), "pickle.loads(...)", TraceStepKind.Sink),
            ],
            Fix = new Fix("Use json instead of pickle", [new TextEdit(Path.Combine(root, "app", "routes.py"), 100, 112, "json.loads")]),
        };

    public static Finding ArtifactFinding(string root) =>
        new("PG301", Severity.High, new Location(Path.Combine(root, "model.pt"), ByteOffset: 0x1a, Member: "archive/data.pkl"),
            "Loading this file calls os.system.")
        {
            Callable = "os.system",
        };

    public static Finding InfoFinding(string root) =>
        new("PG100", Severity.Info, new Location(Path.Combine(root, "app", "util.py"), 1, 1), "pickle is imported.")
        {
            CodeLine = "import pickle",
        };

    public static Report Report(string root) => new(
        [CodeFinding(root), ArtifactFinding(root)],
        [new InputError(Path.Combine(root, "broken.pkl"), "truncated pickle stream")],
        [new SyntaxProblem(Path.Combine(root, "old.py"), 3, 7, "Missing parentheses in call to 'print'", Python2: true)]);

    public static ReportContext Context(string root) => new("0.1.0", [CodeRule, ArtifactRule], root);
}
