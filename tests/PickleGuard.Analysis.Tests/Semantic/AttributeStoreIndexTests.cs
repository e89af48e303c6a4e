using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>
/// The binder's stores <c>name.attr = value</c> on names other than a method's own receiver, indexed project-wide by
/// attribute name (what step 2 reads for attributes set from outside the class).
/// </summary>
public sealed class AttributeStoreIndexTests
{
    private static ProjectModel Build(params (string Name, string Code)[] modules) =>
        new([.. modules.Select(m => ModuleModel.Build(PythonParser.Parse(m.Code, m.Name + ".py"), m.Name, false))]);

    private static string Describe(Binding store, ModuleModel module)
    {
        var target = (Python.AttributeExpr)store.Node;
        var owner = ((Python.NameExpr)target.Value).Id;
        var value = store.Value is null ? "-" : module.Source.Text.Substring(store.Value.Span.Start, store.Value.Span.Length);
        return $"{module.Name}:{owner}.{store.Name}={value} ({store.Kind})";
    }

    [Fact]
    public void StoresOnOtherNamesAreIndexedInModuleThenSourceOrder()
    {
        var project = Build(
            ("models", """
                class Loader:
                    def __init__(self):
                        self.data = b""

                    def fill(self, other):
                        other.data = self.data

                    @classmethod
                    def reset(cls):
                        cls.data = None

                    def later(self):
                        def inner():
                            self.data = 1
                        return inner
                """),
            ("views", """
                a = object()
                a.data = request.data
                a.data, b = source()
                a.data += tail
                a.size = 3
                """));
        var models = project.Find("models")!;
        var views = project.Find("views")!;
        Assert.Equal(
            [
                "models:other.data=self.data (Assignment)",
                "models:self.data=1 (Assignment)",
                "views:a.data=request.data (Assignment)",
                "views:a.data=source() (Unpacked)",
                "views:a.data=tail (Assignment)",
            ],
            project.AttributeStoresOf("data").Select(s => Describe(s, s.ExecutingScope.Module)));
        Assert.Equal(["views:a.size=3 (Assignment)"], project.AttributeStoresOf("size").Select(s => Describe(s, views)));
        Assert.Empty(project.AttributeStoresOf("missing"));
        // `self.data = b""` in a method stays the class's own instance attribute; `cls.data` in a classmethod is neither.
        var loader = Assert.Single(models.Classes.Values);
        Assert.Single(loader.InstanceAttributes["data"]);
    }
}
