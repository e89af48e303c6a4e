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

    /// <summary>
    /// A name bound once is held as its binding alone (the list of itself), a name bound again as a list in source
    /// order; numbers follow first bindings, in a scope of few names (arrays) and of many (a table) alike.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void BindingsOfANameAreInSourceOrderAndNumbersFollowFirstBindings(int extraNames)
    {
        var extra = string.Concat(Enumerable.Range(0, extraNames).Select(i => $"    v{i} = {i}\n"));
        var module = Bind("def f(p):\n    x = 1\n    y = 2\n    x = 3\n" + extra + "    x += 4\n    return x, y\n");
        var scope = FunctionScope(module, "f");

        var once = scope.BindingsOf("y");
        var single = Assert.Single(once);
        Assert.Same(single, once[0]);
        Assert.Equal("y", single.Name);
        Assert.Throws<ArgumentOutOfRangeException>(() => once[1]);
        Assert.Equal([BindingKind.Assignment, BindingKind.Assignment, BindingKind.Assignment], scope.BindingsOf("x").Select(b => b.Kind));
        Assert.Equal(scope.BindingsOf("x").Select(b => b.Offset).Order(), scope.BindingsOf("x").Select(b => b.Offset));
        Assert.True(scope.BindingsOf("x")[2].Augments);
        Assert.Empty(scope.BindingsOf("missing"));
        Assert.Equal(3 + extraNames, scope.BindingCount);
        Assert.Equal(["p", "x", "y", .. Enumerable.Range(0, extraNames).Select(i => $"v{i}")], scope.NumberedNames);
        for (var i = 0; i < scope.NumberedNames.Length; i++)
        {
            Assert.True(scope.TryGetNumber(scope.NumberedNames[i], out var number));
            Assert.Equal(i, number);
            // A name spelled alike but not the parser's string (the scan of a small scope tries the same object first).
            Assert.True(scope.TryGetNumber(new string(scope.NumberedNames[i].ToCharArray()), out var copied));
            Assert.Equal(i, copied);
        }
        Assert.False(scope.TryGetNumber("missing", out _));
        Assert.False(scope.TryGetNumber("q", out _)); // as long as `p`, `x` and `y`
    }
}
