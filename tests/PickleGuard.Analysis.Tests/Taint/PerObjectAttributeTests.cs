using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Instance attributes per object (docs/taint.md, design item 8): the trace of a confined object's flow, and the
/// class-wide fallback when the object escapes.
/// </summary>
public sealed class PerObjectAttributeTests
{
    private const string Box = """
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

    /// <summary>The one PG101 finding of <see cref="Box"/> followed by <paramref name="route"/> (also used by <see cref="FactoryObjectTests"/>).</summary>
    internal static Finding SinkFinding(string route)
    {
        var code = Box + route;
        var result = new CodeScanner(ModelSet.BuiltIn, TaintOptions.Default).Scan([new SourceInput("app.py", System.Text.Encoding.UTF8.GetBytes(code))]);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Findings, f => f.RuleCode == "PG101");
    }

    [Fact]
    public void ConfinedObjectTraceRunsFromTheConstructionThroughTheAttributeToTheSink()
    {
        var finding = SinkFinding("""
            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = Box(request.data)
                clean = Box(b"x")
                return tainted.open(), clean.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "source (remote): flask.request.data",
                "passed as 'payload' to '__init__'",
                "parameter 'payload' of '__init__'",
                "stored in 'self.payload'",
                "'tainted.payload' used by 'open'",
                "reads 'self.payload'",
                "reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => s.Message));
        Assert.Equal([16, 16, 9, 10, 18, 13, 13], finding.Trace.Select(s => s.Location.Line));
        Assert.Equal(TraceStepKind.Source, finding.Trace[0].Kind);
        Assert.Equal(TraceStepKind.Sink, finding.Trace[^1].Kind);
    }

    [Fact]
    public void OnlyTheCleanConfinedObjectOpenedKeepsTheSinkLevel()
    {
        var finding = SinkFinding("""
            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = Box(request.data)
                clean = Box(b"x")
                return tainted, clean.open()
            """);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Empty(finding.Trace);
    }

    [Theory]
    [InlineData("REGISTRY.append(tainted)")]
    [InlineData("print(tainted)")]
    [InlineData("alias = tainted")]
    [InlineData("items = [tainted]")]
    [InlineData("opener = tainted.open")]
    [InlineData("[tainted.payload for _ in range(1)]")]
    [InlineData("tainted.__dict__")]
    public void AnEscapingObjectKeepsTheClassWideFact(string escape)
    {
        var finding = SinkFinding($$"""
            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = Box(request.data)
                {{escape}}
                clean = Box(b"x")
                return clean.open()
            """);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.DoesNotContain(finding.Trace, s => s.Message.Contains("used by", StringComparison.Ordinal));
    }

    [Fact]
    public void ReturningTheObjectFromAPlainFunctionIsAnEscape()
    {
        var finding = SinkFinding("""
            def build():
                tainted = Box(request.data)
                clean = Box(b"x")
                clean.open()
                return tainted
            """);
        Assert.Equal(Severity.High, finding.Severity);
    }
}
