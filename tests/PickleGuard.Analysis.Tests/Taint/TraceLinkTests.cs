using PickleGuard.Analysis.Semantic;
using PickleGuard.Analysis.Taint;
using PickleGuard.Core;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// A trace keeps whether it opened a file as a flag and finds the first opening's description when a report asks
/// (<see cref="TraceLink.Opened"/>): through plain links and spliced chains, the earliest opening is the one named.
/// </summary>
public sealed class TraceLinkTests
{
    private static readonly ModuleModel Module = ModuleModel.Build(PythonParser.Parse("x = 1\n", "m.py"), "m", isPackage: false);

    [Fact]
    public void ATraceWithoutOpeningHasNone()
    {
        var trace = TraceLink.Start(Module, 0, "source").Then(Module, 1, "step");
        Assert.False(trace.HasOpened);
        Assert.Null(trace.Opened);
    }

    [Fact]
    public void TheFirstOpeningIsNamedAfterLaterOnes()
    {
        var trace = TraceLink.Start(Module, 0, "source")
            .Then(Module, 1, "opened", opened: "first")
            .Then(Module, 2, "step")
            .Then(Module, 3, "opened again", opened: "second");
        Assert.True(trace.HasOpened);
        Assert.Equal("first", trace.Opened);
    }

    [Fact]
    public void AnOpeningInASplicedChainIsFoundThroughTheSplice()
    {
        var chain = TraceLink.Start(Module, 5, "parameter").Then(Module, 6, "opened", opened: "in the callee").Then(Module, 7, "returned");
        var trace = TraceLink.Start(Module, 0, "source").Then(Module, 1, "passed").Splice(chain).Then(Module, 8, "assigned");
        Assert.Equal("in the callee", trace.Opened);
        // An opening before the splice comes first.
        var earlier = TraceLink.Start(Module, 0, "source").Then(Module, 1, "opened", opened: "in the caller").Splice(chain);
        Assert.Equal("in the caller", earlier.Opened);
        Assert.Equal(TraceStepKind.Step, earlier.Kind);
    }
}
