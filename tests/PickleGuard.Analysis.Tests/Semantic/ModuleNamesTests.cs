using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Semantic;

public sealed class ModuleNamesTests
{
    private static readonly string[] Paths =
    [
        "/src/Lib/json/__init__.py",
        "/src/Lib/json/decoder.py",
        "/src/Lib/pickle.py",
        "/src/Lib/app/__init__.py",
        "/src/Lib/app/sub/__init__.py",
        "/src/Lib/app/sub/mod.py",
        "/src/Lib/scripts/tool.py",
    ];

    [Theory]
    [InlineData("/src/Lib/json/decoder.py", "json.decoder", false)]
    [InlineData("/src/Lib/json/__init__.py", "json", true)]
    [InlineData("/src/Lib/pickle.py", "pickle", false)]
    [InlineData("/src/Lib/app/sub/mod.py", "app.sub.mod", false)]
    [InlineData("/src/Lib/scripts/tool.py", "tool", false)]
    public void NamesFollowPackages(string path, string name, bool isPackage)
    {
        var packages = ModuleNames.PackageDirectories(Paths);
        Assert.Equal((name, isPackage), ModuleNames.Compute(path, packages));
    }

    [Theory]
    [InlineData("app.sub.mod", false, 1, "x", "app.sub.x")]
    [InlineData("app.sub.mod", false, 2, "x", "app.x")]
    [InlineData("app.sub.mod", false, 1, null, "app.sub")]
    [InlineData("app.sub", true, 1, "mod", "app.sub.mod")]
    [InlineData("app.sub.mod", false, 3, "x", null)]
    [InlineData("app.sub.mod", false, 0, "pickle", "pickle")]
    public void RelativeImportsResolveAgainstThePackage(string module, bool isPackage, int level, string? name, string? expected)
    {
        var model = ModuleModel.Build(PythonParser.Parse("", "m.py"), module, isPackage);
        Assert.Equal(expected, model.ResolveRelative(level, name));
    }
}
