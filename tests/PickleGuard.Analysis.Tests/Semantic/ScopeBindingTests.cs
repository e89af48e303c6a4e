using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>
/// Names bound from inside a nested scope land in the enclosing scope Python gives them. The binder seals a scope when it
/// leaves it, and adding to a sealed scope is an error: these cases must all reach a scope that is still open.
/// </summary>
public sealed class ScopeBindingTests
{
    private static ModuleModel Bind(string code) => ModuleModel.Build(PythonParser.Parse(code, "m.py"), "m", false);

    private static Scope FunctionScope(ModuleModel module, string name) =>
        module.Functions.Values.Single(f => f.Name == name).Scope;

    [Fact]
    public void GlobalNonlocalAndWalrusBindInTheEnclosingScopes()
    {
        var module = Bind("""
            def outer():
                counter = 0
                def bump():
                    nonlocal counter
                    counter = counter + 1
                    def publish():
                        global latest
                        latest = counter
                    publish()
                grid = [[found := v for v in row] for row in [[1, 2]]]
                firsts = [first := x for x in [lambda: (second := 1)]]
                return bump, grid, found, first
            """);

        var outer = FunctionScope(module, "outer");
        Assert.True(module.ModuleScope.Binds("latest"));
        Assert.False(FunctionScope(module, "publish").Binds("latest"));
        Assert.Equal(2, outer.BindingsOf("counter").Count);
        Assert.False(FunctionScope(module, "bump").Binds("counter"));
        Assert.True(outer.Binds("found"));
        Assert.True(outer.Binds("first"));
        Assert.False(outer.Binds("second"));
    }
}
