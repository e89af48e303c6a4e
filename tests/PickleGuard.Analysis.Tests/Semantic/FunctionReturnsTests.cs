using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>
/// The binder gathers the returns of the functions it walks in one list and gives each function its own at the end of
/// its walk: a nested def's or lambda's returns must not leak into the enclosing function's, nor the other way.
/// </summary>
public sealed class FunctionReturnsTests
{
    [Fact]
    public void EachFunctionKeepsItsOwnReturnsInOrder()
    {
        var module = ModuleModel.Build(PythonParser.Parse("""
            def outer(x):
                if x:
                    return 1
                def inner():
                    return 2
                class Local:
                    def method(self):
                        return 3
                key = lambda v: 4
                return 5
            def none():
                pass
            """, "m.py"), "m", false);

        Assert.Equal(["1", "5"], ReturnsOf(module, "outer"));
        Assert.Equal(["2"], ReturnsOf(module, "inner"));
        Assert.Equal(["3"], ReturnsOf(module, "method"));
        Assert.Equal(["4"], ReturnsOf(module, "<lambda>"));
        Assert.Empty(ReturnsOf(module, "none"));
    }

    private static string[] ReturnsOf(ModuleModel module, string name) =>
        module.Functions.Values.Single(f => f.Name == name).Returns
            .Select(r => ((ConstantExpr)r.Value!).Value.AsInteger.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
