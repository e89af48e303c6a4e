using System.Globalization;
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
    /// order; numbers follow first bindings, in a scope of few names (a scan), of many (slots) and of many hashed alike (a Dictionary).
    /// </summary>
    [Theory]
    [InlineData(0, "v{0}")]
    [InlineData(12, "v{0}")]
    [InlineData(40, "held_{0:D4}_key")] // hashed alike: in a Dictionary, not in slots
    public void BindingsOfANameAreInSourceOrderAndNumbersFollowFirstBindings(int extraCount, string extraNameFormat)
    {
        var extraNames = Enumerable.Range(0, extraCount).Select(i => string.Format(CultureInfo.InvariantCulture, extraNameFormat, i)).ToArray();
        var extra = string.Concat(extraNames.Select((name, i) => $"    {name} = {i}\n"));
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
        Assert.Equal(3 + extraCount, scope.BindingCount);
        Assert.Equal(["p", "x", "y", .. extraNames], scope.NumberedNames);
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
        Assert.False(scope.TryGetNumber(string.Format(CultureInfo.InvariantCulture, extraNameFormat, 9999), out _)); // shaped as the extra names
    }

    /// <summary>
    /// A scope of many names finds each through its slots; names crafted to share slots would make every lookup read
    /// them all, and get no slots (the scope keeps a Dictionary: the theory above finds them there).
    /// </summary>
    [Fact]
    public void NameSlotsFindEveryNameAndRefuseNamesThatShareSlots()
    {
        string[] names = [.. Enumerable.Range(0, 100).Select(i => $"name{i}")];
        var slots = NameSlots.Of(names);
        Assert.NotNull(slots);
        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(i, slots.NumberOf(names[i]));
            Assert.Equal(i, slots.NumberOf(new string(names[i].ToCharArray())));
        }
        Assert.Equal(-1, slots.NumberOf("name100"));
        Assert.Equal(-1, slots.NumberOf(""));
        Assert.Null(NameSlots.Of([.. Enumerable.Range(0, 40).Select(i => $"held_{i:D4}_key")]));
    }
}
