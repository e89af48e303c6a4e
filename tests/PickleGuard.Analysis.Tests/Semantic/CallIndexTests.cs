using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;
using Xunit;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>ModuleModel finds a call's site by the call's parser ordinal: chained calls share a start, and a call of another module is not found.</summary>
public sealed class CallIndexTests
{
    [Fact]
    public void EveryCallIsFoundAtItsOwnPosition()
    {
        var model = Build("a.b(c())(d).e(f(g()))\nh()\n");

        Assert.Equal(7, model.Calls.Count);
        for (var i = 0; i < model.Calls.Count; i++)
        {
            Assert.Equal(i, model.IndexOfCall(model.Calls[i].Call));
            Assert.Equal(model.Calls[i], model.CallSiteOf(model.Calls[i].Call));
        }
    }

    [Fact]
    public void ACallOfAnotherModuleWithTheSameSpanIsNotFound()
    {
        var model = Build("f(x)\n");
        var other = Build("f(x)\n");

        var foreign = other.Calls[0].Call;
        Assert.Equal(model.Calls[0].Call.Span, foreign.Span);
        Assert.Equal(-1, model.IndexOfCall(foreign));
        Assert.Null(model.CallSiteOf(foreign));
    }

    [Fact]
    public void OrdinalsAreDistinctAndCallsThePython2ParserMakesAreFound()
    {
        // `print` and `exec` statements and backquotes become calls the parser builds itself.
        var model = Build("print f(x), `g(y)`\nexec h(z)\n");

        Assert.Equal(model.Calls.Count, model.Calls.Select(c => c.Call.Ordinal).Distinct().Count());
        Assert.All(model.Calls, c => Assert.True(c.Call.Ordinal >= 0));
        Assert.Contains(model.Calls, c => c.Call.Func is NameExpr { Id: "print" });
        Assert.Contains(model.Calls, c => c.Call.Func is NameExpr { Id: "repr" });
        for (var i = 0; i < model.Calls.Count; i++)
        {
            Assert.Equal(i, model.IndexOfCall(model.Calls[i].Call));
        }
    }

    [Fact]
    public void AModuleWithoutCallsFindsNone()
    {
        var model = Build("x = 1\n");
        var other = Build("f()\n");

        Assert.Equal(-1, model.IndexOfCall(other.Calls[0].Call));
    }

    /// <summary>The calls indexed by a name hold each call once, in source order, read back as the module's call sites.</summary>
    [Fact]
    public void CallsNamingOrPassingANameAreEachListedOnceInOrder()
    {
        var model = Build("run(worker, worker)\nx.worker()\npool.map(worker, items)\nworker()\n");

        var passing = model.CallsPassing("worker");
        Assert.Equal(2, passing.Count);
        Assert.Equal([model.Calls[0], model.Calls[2]], passing);
        Assert.Equal(model.Calls[2], passing[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => passing[2]);
        Assert.Equal([model.Calls[1], model.Calls[3]], model.CallsNamed("worker"));
        Assert.Empty(model.CallsNamed("absent"));
    }

    private static ModuleModel Build(string source) => ModuleModel.Build(PythonParser.Parse(source, "m.py"), "m", isPackage: false);
}
