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
}
