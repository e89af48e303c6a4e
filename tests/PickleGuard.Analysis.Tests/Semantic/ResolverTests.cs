using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>The resolver is the API the taint engine builds on: calls map to qualified names.</summary>
public sealed class ResolverTests
{
    private static (ValueResolver Resolver, ModuleModel Main) Build(params (string Path, string Name, string Code)[] modules)
    {
        var models = modules.Select(m => ModuleModel.Build(PythonParser.Parse(m.Code, m.Path), m.Name, m.Path.EndsWith("__init__.py", StringComparison.Ordinal))).ToArray();
        var project = new ProjectModel(models);
        return (new ValueResolver(project, new HashSet<string> { "pickle", "builtins" }), models[^1]);
    }

    private static IEnumerable<string> CalleePaths(ValueResolver resolver, ModuleModel module, int index)
    {
        var site = module.Calls[index];
        return resolver.Resolve(site.Call.Func, EvalContext.At(site)).OfType<ApiValue>().Select(v => v.Path).Order(StringComparer.Ordinal);
    }

    [Fact]
    public void FallbackImportsYieldBothCandidates()
    {
        var (resolver, main) = Build(("main.py", "main", "try:\n    import cPickle as p\nexcept ImportError:\n    import pickle as p\np.loads(b'')\n"));
        Assert.Equal(["cPickle.loads", "pickle.loads"], CalleePaths(resolver, main, 0));
    }

    [Fact]
    public void LaterDominatingAssignmentReplacesEarlierOne()
    {
        var (resolver, main) = Build(("main.py", "main", "import json, pickle\nf = pickle.loads\nf = json.loads\nf(b'')\n"));
        Assert.Equal(["json.loads"], CalleePaths(resolver, main, 0));
    }

    [Fact]
    public void NamesResolveThroughProjectModules()
    {
        var (resolver, main) = Build(
            ("pkg/__init__.py", "pkg", "from .codec import decode as d\n"),
            ("pkg/codec.py", "pkg.codec", "import pickle\ndecode = pickle.load\n"),
            ("main.py", "main", "import pkg\npkg.d(f)\n"));
        Assert.Equal(["pickle.load"], CalleePaths(resolver, main, 0));
        var graph = resolver.Project.ImportGraph();
        Assert.Equal(["pkg"], graph[main].Select(m => m.Name));
    }

    [Fact]
    public void InheritedExternalMethodKeepsTheConstructorCall()
    {
        var (resolver, main) = Build(("main.py", "main", "import pickle\nclass U(pickle.Unpickler):\n    pass\nU(f).load()\n"));
        var site = main.Calls.Single(c => c.Call.Func is AttributeExpr);
        var value = Assert.IsType<ApiValue>(Assert.Single(resolver.Resolve(site.Call.Func, EvalContext.At(site))));
        Assert.Equal("pickle.Unpickler().load", value.Path);
        Assert.Equal("U", value.ViaClass?.Name);
        Assert.IsType<NameExpr>(value.Constructor?.Func);
    }

    /// <summary>An expression with more operands than one query may resolve (see ResolutionBudgetTests).</summary>
    private static string OverBudget(string operand) => string.Join(" or ", Enumerable.Repeat(operand, ValueResolver.MaxWorkPerQuery + 5_000));

    [Fact]
    public void AMemberAskedForAfterAQueryThatRanOutHasABudgetOfItsOwn()
    {
        var (resolver, main) = Build(
            ("codec.py", "codec", "import pickle\nloads = pickle.loads\n"),
            ("main.py", "main", $"import pickle\nslow = {OverBudget("pickle.loads")}\n"));
        resolver.ResolveBinding(main.ModuleScope.BindingsOf("slow")[0]);
        // It used to run on the spent query's budget and find nothing.
        var member = resolver.Member(new ModuleValue(resolver.Project.Find("codec")!), "loads");
        Assert.Equal("pickle.loads", Assert.IsType<ApiValue>(Assert.Single(member)).Path);
    }

    [Fact]
    public void BaseClassesResolvedAfterTheBudgetRanOutAreNotRemembered()
    {
        // `slow` finds the class, then runs out of budget before the member lookup resolves the class's base: that
        // short base list was cached, so every later query missed the inherited member.
        var (resolver, main) = Build(("main.py", "main",
            $"import pickle\nclass Base:\n    loader = pickle.loads\nclass Child(Base):\n    pass\nslow = (Child or {OverBudget("pickle.dumps")}).loader\nfast = Child.loader\n"));
        resolver.ResolveBinding(main.ModuleScope.BindingsOf("slow")[0]);
        var fast = resolver.ResolveBinding(main.ModuleScope.BindingsOf("fast")[0]);
        Assert.Equal("pickle.loads", Assert.IsType<ApiValue>(Assert.Single(fast)).Path);
    }
}
