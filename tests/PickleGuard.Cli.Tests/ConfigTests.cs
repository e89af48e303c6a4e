using PickleGuard.Cli.Configuration;
using PickleGuard.Core;

namespace PickleGuard.Cli.Tests;

public class ConfigTests
{
    [Fact]
    public void ReadsEveryKey()
    {
        using var dir = new TempDir();
        var file = dir.Write("pyproject.toml", """
            [project]
            name = "demo"

            [tool.pickleguard]
            include = ["*.pyx"]
            exclude = ["tests/"]
            select = ["PG1"]
            ignore = ["PG102"]
            severity = "medium"
            profile = "torch"
            extra-models = ["models/extra.json"]
            """);
        var settings = ConfigLoader.Load(file);
        Assert.Equal(["*.pyx"], settings.Include);
        Assert.Equal(["tests/"], settings.Exclude);
        Assert.Equal(["PG1"], settings.Select);
        Assert.Equal(["PG102"], settings.Ignore);
        Assert.Equal(Severity.Medium, settings.Severity);
        Assert.Equal("torch", settings.Profile);
        Assert.Equal([Path.Combine(dir.Root, "models", "extra.json")], settings.ExtraModels);
        Assert.Equal(dir.Root, settings.BaseDirectory);
    }

    [Fact]
    public void FindWalksUpToTheNearestFileWithTheTable()
    {
        using var dir = new TempDir();
        var outer = dir.Write("pyproject.toml", "[tool.pickleguard]\nseverity = \"high\"\n");
        dir.Write("pkg/pyproject.toml", "[tool.black]\nline-length = 100\n");
        var start = dir.Write("pkg/src/a.py", "");
        Assert.Equal(outer, ConfigLoader.Find(start));
    }

    [Theory]
    [InlineData("[tool.pickleguard]\nseverity = \"critical\"\n", "severity", "expected one of info, low, medium, high, got 'critical'")]
    [InlineData("[tool.pickleguard]\nselect = \"PG1\"\n", "select", "expected an array of strings")]
    [InlineData("[tool.pickleguard]\nexclude = [1, 2]\n", "exclude", "expected an array of strings")]
    [InlineData("[tool.pickleguard]\nseverty = \"low\"\n", "severty", "unknown key")]
    [InlineData("[tool.pickleguard]\nprofile = \"tensorflow\"\n", "profile", "expected one of plain, numpy, torch, sklearn")]
    public void BadValuesNameFileAndKey(string toml, string key, string problem)
    {
        using var dir = new TempDir();
        var file = dir.Write("pyproject.toml", toml);
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));
        Assert.Equal(key, ex.Key);
        Assert.Contains(file, ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void InvalidTomlIsAnError()
    {
        using var dir = new TempDir();
        var file = dir.Write("pyproject.toml", "[tool.pickleguard\nseverity = \n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));
        Assert.Contains("invalid TOML", ex.Message);
        Assert.Equal(file, ConfigLoader.Find(dir.Root));
    }

    [Fact]
    public void AStandaloneConfigFileMayHoldTheKeysAtTopLevel()
    {
        using var dir = new TempDir();
        var file = dir.Write("pickleguard.toml", "severity = \"high\"\n");
        Assert.Equal(Severity.High, ConfigLoader.Load(file).Severity);
    }
}
