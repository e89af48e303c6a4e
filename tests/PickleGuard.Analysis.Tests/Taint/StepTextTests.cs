using PickleGuard.Analysis.Semantic;
using PickleGuard.Analysis.Taint;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// A trace step whose text is made from parts when a report reads it (<see cref="StepText"/>) reads as the text the
/// analyses built at once before: a parameter's starting step and a step quoting a node, through plain links, spliced
/// chains (whose own node copies the chain's last step unformatted) and the report's steps.
/// </summary>
public sealed class StepTextTests
{
    private const string Source = "def f(data):\n    self.cache = (data +\n        1)\n    x = obj.a_rather_long_attribute_name.another_rather_long_attribute\n";

    private static readonly ModuleModel Module = ModuleModel.Build(PythonParser.Parse(Source, "m.py"), "m", isPackage: false);

    private static IEnumerable<AttributeExpr> Attributes() => Module.Parse.Module.Body.SelectMany(AttributesIn);

    private static IEnumerable<AttributeExpr> AttributesIn(Node node) => node switch
    {
        FunctionDefStmt function => function.Body.SelectMany(AttributesIn),
        AssignStmt assign => assign.Targets.SelectMany(AttributesIn).Concat(AttributesIn(assign.Value)),
        AttributeExpr attribute => [attribute],
        _ => [],
    };

    [Fact]
    public void AParametersStepReadsAsItsWholeText()
    {
        var trace = TraceLink.Start(Module, 6, StepText.Parameter("data", "f"));
        Assert.Equal("parameter 'data' of 'f'", trace.Message);
        Assert.Equal("parameter 'data' of 'f'", Assert.Single(trace.ToSteps()).Message);
    }

    [Fact]
    public void AQuotedNodeIsShownOnOneLineAndCutAtFiftyCharacters()
    {
        var target = Attributes().First(a => a.Attr == "cache");
        var read = Attributes().First(a => a.Attr == "another_rather_long_attribute");
        var multiLine = Module.Parse.Module.Body.OfType<FunctionDefStmt>().Single().Body.OfType<AssignStmt>().First().Value;
        Assert.Equal("stored in 'self.cache'", TraceLink.Start(Module, 0, StepText.Quoting("stored in", target)).Message);
        var quoted = TraceLink.Start(Module, 0, StepText.Quoting("reads", multiLine)).Message;
        Assert.Equal($"reads '{Source.Substring(multiLine.Span.Start, multiLine.Span.Length).ReplaceLineEndings(" ")}'", quoted);
        Assert.Contains("data +", quoted);
        Assert.DoesNotContain('\n', quoted);
        var shown = "obj.a_rather_long_attribute_name.another_rather_long_attribute"[..47] + "...";
        Assert.Equal($"reads '{shown}'", TraceLink.Start(Module, 0, StepText.Quoting("reads", read)).Message);
        Assert.Equal(shown, StepText.Shown(Module, read));
    }

    [Fact]
    public void StepsMadeFromPartsReadTheSameThroughSplices()
    {
        var target = Attributes().First(a => a.Attr == "cache");
        // A callee's chain that ends in a quoting step: the splice node copies that step as it is, unformatted.
        var chain = TraceLink.Start(Module, 6, StepText.Parameter("data", "f")).Then(Module, 17, StepText.Quoting("stored in", target));
        var trace = TraceLink.Start(Module, 0, "source").Then(Module, 1, "passed as 'data' to 'f'").Splice(chain);
        Assert.Equal(
            ["source", "passed as 'data' to 'f'", "parameter 'data' of 'f'", "stored in 'self.cache'"],
            trace.ToSteps().Select(step => step.Message));
        // A chain of the parameter's step alone.
        var alone = TraceLink.Start(Module, 0, "source").Splice(TraceLink.Start(Module, 6, StepText.Parameter("data", "f")));
        Assert.Equal(["source", "parameter 'data' of 'f'"], alone.ToSteps().Select(step => step.Message));
    }

    [Fact]
    public void AWholeTextIsItself()
    {
        StepText text = "returned by 'f'";
        Assert.Null(text.Detail);
        Assert.Equal("returned by 'f'", text.Format(Module));
        Assert.Equal("returned by 'f'", TraceLink.Start(Module, 0, "x").Then(Module, 1, text).Message);
    }
}
