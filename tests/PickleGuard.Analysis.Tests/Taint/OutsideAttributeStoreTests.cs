using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// Attribute stores made outside the class (<c>a = Box(); a.payload = v</c>, issue 5): step 2 counts them for the
/// provenance of <c>self.payload</c> when a method may see the object, and the taint engine makes a store on an
/// object that is not confined a class-wide fact.
/// </summary>
public sealed class OutsideAttributeStoreTests
{
    private const string Box = """
        import pickle
        from flask import Flask, request

        app = Flask(__name__)
        REGISTRY = []


        class Box:
            def __init__(self):
                self.payload = b""

            def open(self):
                return pickle.loads(self.payload)

        """;

    private static Finding SinkFinding(string code, TaintOptions options)
    {
        var result = new CodeScanner(ModelSet.BuiltIn, options).Scan([new SourceInput("app.py", System.Text.Encoding.UTF8.GetBytes(Box + code))]);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Findings, f => f.RuleCode == "PG101");
    }

    [Fact]
    public void AStoreOnAnEscapingObjectIsFollowedIntoTheMethod()
    {
        var finding = SinkFinding("""
            @app.route("/box", methods=["POST"])
            def box():
                a = Box()
                a.payload = request.data
                REGISTRY.append(a)
                return a.open()
            """, TaintOptions.Default);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(
            [
                "source (remote): flask.request.data",
                "stored in 'a.payload'",
                "reads 'self.payload'",
                "reaches `pickle.loads` (PG101)",
            ],
            finding.Trace.Select(s => s.Message));
        Assert.Equal([17, 17, 13, 13], finding.Trace.Select(s => s.Location.Line));
    }

    [Fact]
    public void WithoutTaintTheOutsideStoreMakesTheAttributeOfUnknownProvenance()
    {
        var finding = SinkFinding("""
            @app.route("/box", methods=["POST"])
            def box():
                a = Box()
                a.payload = request.data
                return a.open()
            """, TaintOptions.Disabled);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Contains("request.data", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoreOnAnObjectNoMethodSeesKeepsTheLiteralDefault()
    {
        var finding = SinkFinding("""
            @app.route("/box", methods=["POST"])
            def box():
                scratch = Box()
                scratch.payload = request.data
                size = len(scratch.payload)
                return Box().open(), size
            """, TaintOptions.Default);
        Assert.Equal(Severity.Low, finding.Severity);
    }

    [Fact]
    public void AFunctionStoringItsParameterOnAnEscapingObjectPassesTheCallersSourceOn()
    {
        var finding = SinkFinding("""
            def remember(data):
                b = Box()
                b.payload = data
                REGISTRY.append(b)


            @app.route("/remember", methods=["POST"])
            def remember_route():
                remember(request.data)
                return REGISTRY[0].open()
            """, TaintOptions.Default);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal("source (remote): flask.request.data", finding.Trace[0].Message);
        Assert.Contains("stored in 'b.payload'", finding.Trace.Select(s => s.Message));
    }
}
