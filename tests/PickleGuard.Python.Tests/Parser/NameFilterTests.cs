using System.Collections;
using System.Reflection;
using PickleGuard.Python.Tests.Fixtures;
using Xunit;

namespace PickleGuard.Python.Tests.Parser;

/// <summary>
/// A parse's <see cref="NameFilter"/> rules a name out of a module without searching its text, so it must hold every
/// name of the tree and every short str value: one missing is a module whose calls of that name, or whose settings,
/// are never looked at.
/// </summary>
public sealed class NameFilterTests
{
    public static TheoryData<string> ValidFixtures() => new(FixtureFiles.ValidNames());

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void EveryNameOfTheTreeIsInTheFilter(string name)
    {
        var result = PythonParser.Parse(SourceText.From(File.ReadAllBytes(Path.Combine(FixtureFiles.Valid, name)), name));

        var names = new List<string>();
        CollectNames(result.Module, names);

        Assert.All(names, found => Assert.True(result.Names.MayContain(found), found));
    }

    [Fact]
    public void SynthesizedAndLongNamesAreInTheFilter()
    {
        // Python 2 backquotes are read as a call of repr; a name past the name table's cached length is made apart.
        var longName = new string('n', 100);
        var result = Parse.Text($"x = `y`\n{longName} = 1\n");

        Assert.True(result.Names.MayContain("repr"));
        Assert.True(result.Names.MayContain(longName));
    }

    [Fact]
    public void ANameOnlyInACommentOrDocstringIsNotInTheFilter()
    {
        var result = Parse.Text("\"\"\"Calls load_everything() somewhere.\"\"\"\n# load_everything(x)\nvalue = 1\n");

        Assert.True(result.Names.MayContain("value"));
        Assert.False(result.Names.MayContain("load_everything"));
    }

    [Fact]
    public void ShortStrValuesAreInTheFilterAndLongOnesNeedNotBe()
    {
        // A settings key may be a dict key or a subscript (`conf["accept_content"] = ...`), spelled with escapes or
        // as an implicit concatenation; a docstring-length value is left out.
        var longValue = new string('v', NameFilter.MaxStringLength + 1);
        var result = Parse.Text($"d = {{'plain': 1, 'esc\\x61ped': 2, 'con' 'catenated': 3}}\ns = '{longValue}'\n");

        Assert.True(result.Names.MayContain("plain"));
        Assert.True(result.Names.MayContain("escaped"));
        Assert.True(result.Names.MayContain("concatenated"));
        Assert.False(result.Names.MayContain(longValue));
    }

    /// <summary>Every string a node holds as a name (not a constant's kind or an interpolation's source text), at any depth.</summary>
    private static void CollectNames(object node, List<string> names)
    {
        foreach (var property in node.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name is "Kind" or "Str")
            {
                continue;
            }
            switch (property.GetValue(node))
            {
                case string text:
                    names.Add(text);
                    break;
                case Node child:
                    CollectNames(child, names);
                    break;
                case IEnumerable items and not string:
                    foreach (var item in items)
                    {
                        if (item is string text)
                        {
                            names.Add(text);
                        }
                        else if (item is Node child)
                        {
                            CollectNames(child, names);
                        }
                    }
                    break;
            }
        }
    }
}
