using PickleGuard.Core;

namespace PickleGuard.Analysis.Tests.Fixes;

public sealed class YamlFixTests
{
    private static Finding Sink(string code, string path = "app.py") =>
        Assert.Single(FixScan.Findings(code, path), f => f.RuleCode == "PG103");

    [Fact]
    public void EditsAreMinimalCharacterRanges()
    {
        const string code = "import yaml\nx = yaml.load(s, Loader=yaml.Loader)\n";
        var fix = Sink(code).Fix!;
        Assert.Equal(
            [new TextEdit("app.py", 21, 25, "safe_load"), new TextEdit("app.py", 27, 47, "")],
            fix.Edits.OrderBy(e => e.Start).ToArray());
        Assert.Equal("import yaml\nx = yaml.safe_load(s)\n", FixScan.Fixed(code));
    }

    [Theory]
    [InlineData("import yaml\nDOC = '!!python/object/apply:os.system [id]'\nyaml.load(s, Loader=yaml.Loader)\n", "`!!python/` YAML tag")]
    [InlineData("import yaml\nT = b'tag:yaml.org,2002:python/name:os.system'\nyaml.load(s, Loader=yaml.Loader)\n", "`!!python/` YAML tag")]
    [InlineData("import yaml\nyaml.add_multi_constructor('!x', f)\nyaml.load(s, Loader=yaml.Loader)\n", "`add_multi_constructor`")]
    [InlineData("import yaml\nclass P(yaml.YAMLObject):\n    yaml_tag = '!P'\nyaml.load(s, Loader=yaml.Loader)\n", "subclasses `yaml.YAMLObject`")]
    [InlineData("import yaml\nclass L(yaml.SafeLoader):\n    yaml_constructors = {}\nyaml.load(s, Loader=yaml.Loader)\n", "subclasses the YAML `SafeLoader`")]
    public void FilesThatNeedPythonObjectsGetANoteInsteadOfAFix(string code, string reason)
    {
        var finding = Sink(code);
        Assert.Null(finding.Fix);
        Assert.Contains("No automatic fix: ", finding.Message, StringComparison.Ordinal);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
        Assert.Equal(code, FixScan.Fixed(code));
    }

    [Theory]
    [InlineData("import yaml\ndef f(s, kw):\n    return yaml.load(s, **kw)\n", "unpacks arguments")]
    [InlineData("import yaml\nclass Mine:\n    pass\ndef f(s, L):\n    return yaml.load(s, Loader=L)\n", "not one of PyYAML's own loaders")]
    [InlineData("import yaml\nclass Base(yaml.FullLoader):\n    pass\nclass NoDates(Base):\n    pass\ndef f(s):\n    return yaml.load(s, Loader=NoDates)\n",
        "the Loader is the project class `NoDates`, a subclass of `yaml.FullLoader`, which may")]
    [InlineData("import yaml\nclass Mine:\n    pass\ndef f(s):\n    return yaml.load(s, Loader=Mine)\n", "the Loader is the project class `Mine`, which may")]
    [InlineData("from yaml import load\nsafe_load = None\ndef f(s):\n    return load(s)\n", "cannot be imported cleanly")]
    [InlineData("import yaml\ndef f(s):\n    return yaml.load(s,  # why\n        Loader=yaml.Loader)\n", "comment or unusual layout")]
    public void UnclearCallsAreLeftAloneWithAReason(string code, string reason)
    {
        var finding = Sink(code);
        Assert.Null(finding.Fix);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyLoaderSubclassRegistersNothing() =>
        Assert.Equal(
            "import yaml\nclass L(yaml.SafeLoader):\n    \"\"\"Strict.\"\"\"\nyaml.safe_load(s)\n",
            FixScan.Fixed("import yaml\nclass L(yaml.SafeLoader):\n    \"\"\"Strict.\"\"\"\nyaml.load(s, Loader=yaml.Loader)\n"));

    [Fact]
    public void CalleeSpellingIsKept()
    {
        Assert.Equal("import yaml as y\ny.safe_load(s)\n", FixScan.Fixed("import yaml as y\ny.load(s, y.FullLoader)\n"));
        Assert.Equal("import yaml\nyaml . safe_load_all(s)\n", FixScan.Fixed("import yaml\nyaml . load_all(s)\n"));
    }

    [Fact]
    public void ImportedNameReusesAnExistingSafeLoadImport()
    {
        Assert.Equal(
            "from yaml import load, safe_load\nsafe_load(s)\nsafe_load(t)\n",
            FixScan.Fixed("from yaml import load, safe_load\nload(s)\nsafe_load(t)\n"));
        // Two fixes adding the same import produce it once.
        Assert.Equal(
            "from yaml import load, safe_load\nsafe_load(s)\nsafe_load(t)\n",
            FixScan.Fixed("from yaml import load\nload(s)\nload(t)\n"));
    }

    [Fact]
    public void NotebooksAreNotFixed()
    {
        var finding = Sink("import yaml\nyaml.load(s)\n", "nb.ipynb");
        Assert.Null(finding.Fix);
        Assert.Contains("not applied to notebooks", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RuamelAndSafeCallsGetNoFix()
    {
        var findings = FixScan.Findings("import ruamel.yaml\nruamel.yaml.load(s)\n");
        Assert.All(findings, f => Assert.Null(f.Fix));
        Assert.DoesNotContain(FixScan.Findings("import yaml\nyaml.load(s, Loader=yaml.SafeLoader)\n"), f => f.RuleCode == "PG103");
    }
}
