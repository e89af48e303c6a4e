using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Objects made by factories (docs/taint.md, design item 8): the trace of a factory object's flow, per object when the
/// caller keeps it, and the class-wide fallback for every way the object or the factory lets go of it.
/// </summary>
public sealed class FactoryObjectTests
{
    private const string Box = """
        import functools
        import pickle
        from flask import Flask, request

        app = Flask(__name__)
        REGISTRY = []


        class Box:
            def __init__(self, payload):
                self.payload = payload

            def open(self):
                return pickle.loads(self.payload)

        """;

    private static Finding SinkFinding(string code)
    {
        var result = new CodeScanner(ModelSet.BuiltIn, TaintOptions.Default).Scan([new SourceInput("app.py", System.Text.Encoding.UTF8.GetBytes(Box + code))]);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Findings, f => f.RuleCode == "PG101");
    }

    [Fact]
    public void FactoryObjectTraceRunsFromTheCallThroughTheAttributeAndTheReturnToTheSink()
    {
        var finding = SinkFinding("""
            def make(payload):
                box = Box(payload)
                return box


            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make(request.data)
                clean = make(b"x")
                return tainted.open(), clean.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "source (remote): flask.request.data",
                "passed as 'payload' to 'make'",
                "parameter 'payload' of 'make'",
                "passed as 'payload' to '__init__'",
                "parameter 'payload' of '__init__'",
                "stored in 'self.payload'",
                "returned by 'make'",
                "'tainted.payload' used by 'open'",
                "reads 'self.payload'",
                "reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => s.Message));
        Assert.Equal([22, 22, 15, 16, 10, 11, 17, 24, 14, 14], finding.Trace.Select(s => s.Location.Line));
        Assert.Equal(TraceStepKind.Source, finding.Trace[0].Kind);
        Assert.Equal(TraceStepKind.Sink, finding.Trace[^1].Kind);
    }

    [Fact]
    public void ASourceReadInsideTheFactoryStaysWithItsObject()
    {
        var finding = SinkFinding("""
            def make_tainted():
                return Box(request.data)


            def make_clean():
                return Box(b"x")


            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make_tainted()
                clean = make_clean()
                return tainted, clean.open()
            """);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Empty(finding.Trace);
    }

    [Fact]
    public void TheTaintedFactoryObjectOpenedIsHighFromTheSourceInsideTheFactory()
    {
        var finding = SinkFinding("""
            def make_tainted():
                return Box(request.data)


            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make_tainted()
                return tainted.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "source (remote): flask.request.data",
                "passed as 'payload' to '__init__'",
                "parameter 'payload' of '__init__'",
                "stored in 'self.payload'",
                "returned by 'make_tainted'",
                "'tainted.payload' used by 'open'",
                "reads 'self.payload'",
                "reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => s.Message));
    }

    [Theory]
    [InlineData("REGISTRY.append(box)")]
    [InlineData("print(box)")]
    [InlineData("alias = box")]
    [InlineData("opener = box.open")]
    public void AnObjectEscapingInsideTheFactoryKeepsTheClassWideFact(string escape)
    {
        var finding = SinkFinding($$"""
            def make(payload):
                box = Box(payload)
                {{escape}}
                return box


            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make(request.data)
                clean = make(b"x")
                return tainted, clean.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.DoesNotContain(finding.Trace, s => s.Message.Contains("used by", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("@functools.lru_cache\ndef make(payload):\n    return Box(payload)")]
    [InlineData("def make(payload):\n    return Box(payload)\n\n\nMAKERS = {'box': make}")]
    [InlineData("def make(payload):\n    if not payload:\n        return REGISTRY[0]\n    return Box(payload)")]
    [InlineData("def make(payload):\n    yield Box(payload)")]
    public void AFunctionThatIsNoFactoryKeepsTheClassWideFact(string factory)
    {
        var finding = SinkFinding(factory + """



            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make(request.data)
                clean = make(b"x")
                return tainted, clean.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
    }

    [Theory]
    [InlineData("REGISTRY.append(tainted)")]
    [InlineData("tainted.open")]
    [InlineData("make(request.data).payload")]
    public void ACallerLettingTheObjectGoKeepsTheClassWideFact(string escape)
    {
        var finding = SinkFinding($$"""
            def make(payload):
                return Box(payload)


            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make(request.data)
                {{escape}}
                clean = make(b"x")
                return clean.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
    }
}
