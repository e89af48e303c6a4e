using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Objects made by factories (docs/taint.md, design item 8): the trace of a factory object's flow, per object when the
/// caller keeps it, and the class-wide fallback for every way the object or the factory lets go of it. The code under
/// test follows <see cref="PerObjectAttributeTests"/>' <c>Box</c> class.
/// </summary>
public sealed class FactoryObjectTests
{
    [Fact]
    public void FactoryObjectTraceRunsFromTheCallThroughTheAttributeAndTheReturnToTheSink()
    {
        var finding = PerObjectAttributeTests.SinkFinding("""
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
        Assert.Equal([21, 21, 14, 15, 9, 10, 16, 23, 13, 13], finding.Trace.Select(s => s.Location.Line));
        Assert.Equal(TraceStepKind.Source, finding.Trace[0].Kind);
        Assert.Equal(TraceStepKind.Sink, finding.Trace[^1].Kind);
    }

    [Fact]
    public void ASourceReadInsideTheFactoryStaysWithItsObject()
    {
        var finding = PerObjectAttributeTests.SinkFinding("""
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
        var finding = PerObjectAttributeTests.SinkFinding("""
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
        var finding = PerObjectAttributeTests.SinkFinding($$"""
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

    /// <summary>Only the clean object is opened: medium when <c>make</c> is a factory, high (the class-wide fact) when it is none.</summary>
    [Theory]
    [InlineData("def make(payload):\n    if not payload:\n        return None\n    return Box(payload)", Severity.Medium)]
    [InlineData("def make(payload):\n    if payload:\n        box = Box(payload)\n        box.fill = 1\n        return box\n    return Box(b'')", Severity.Medium)]
    [InlineData("def _inner(payload):\n    return Box(payload)\n\n\ndef make(payload):\n    return _inner(payload)", Severity.Medium)]
    [InlineData("def make(payload):\n    def build():\n        return Box(b'')\n    box = Box(payload)\n    return box", Severity.Medium)]
    [InlineData("import functools\n\n\n@functools.lru_cache\ndef make(payload):\n    return Box(payload)", Severity.High)]
    [InlineData("def make(payload):\n    return Box(payload)\n\n\nMAKERS = {'box': make}", Severity.High)]
    [InlineData("def make(payload):\n    if not payload:\n        return REGISTRY[0]\n    return Box(payload)", Severity.High)]
    [InlineData("def make(payload):\n    yield Box(payload)", Severity.High)]
    public void OnlyAFactoryKeepsTheCleanObjectApart(string factory, Severity expected)
    {
        var finding = PerObjectAttributeTests.SinkFinding(factory + """



            @app.route("/boxes", methods=["POST"])
            def boxes():
                tainted = make(request.data)
                clean = make(b"x")
                return tainted, clean.open()
            """);
        Assert.Equal(expected, finding.Severity);
    }

    [Theory]
    [InlineData("REGISTRY.append(tainted)")]
    [InlineData("tainted.open")]
    [InlineData("make(request.data).payload")]
    public void ACallerLettingTheObjectGoKeepsTheClassWideFact(string escape)
    {
        var finding = PerObjectAttributeTests.SinkFinding($$"""
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

    [Theory]
    [InlineData("", Severity.Medium)]
    [InlineData("BUILDERS = [make]", Severity.High)]
    [InlineData("# make is kept in BUILDERS elsewhere", Severity.Medium)]
    public void AFactoryUsedAsAValueThroughAReExportIsNone(string use, Severity expected)
    {
        var files = new (string Path, string Code)[]
        {
            ("pkg/__init__.py", "from .boxes import make\n"),
            ("pkg/boxes.py", """
                import pickle


                class Box:
                    def __init__(self, payload):
                        self.payload = payload

                    def open(self):
                        return pickle.loads(self.payload)


                def make(payload):
                    return Box(payload)
                """),
            ("app.py", $$"""
                from flask import Flask, request
                from pkg import make

                app = Flask(__name__)
                {{use}}


                @app.route("/boxes", methods=["POST"])
                def boxes():
                    tainted = make(request.data)
                    clean = make(b"x")
                    return tainted, clean.open()
                """),
        };
        var result = new CodeScanner(ModelSet.BuiltIn, TaintOptions.Default).Scan(
            files.Select(f => new SourceInput(f.Path, System.Text.Encoding.UTF8.GetBytes(f.Code))).ToArray());
        Assert.Empty(result.Errors);
        Assert.Equal(expected, Assert.Single(result.Findings, f => f.RuleCode == "PG101").Severity);
    }
}
