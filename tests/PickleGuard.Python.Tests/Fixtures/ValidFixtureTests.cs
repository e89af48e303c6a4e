namespace PickleGuard.Python.Tests.Fixtures;

/// <summary>Each valid/*.py parses without a diagnostic to exactly the dump CPython 3.13 gave
/// (valid/*.py.expected, written by regenerate.sh).</summary>
public class ValidFixtureTests
{
    public static TheoryData<string> Names() => new(FixtureFiles.ValidNames());

    [Theory]
    [MemberData(nameof(Names))]
    public void DumpEqualsCPython313(string name)
    {
        string path = Path.Combine(FixtureFiles.Valid, name);
        ParseResult result = PythonParser.Parse(SourceText.From(File.ReadAllBytes(path), path));

        Assert.Empty(result.Diagnostics);
        string expected = File.ReadAllText(path + ".expected").TrimEnd('\n');
        Assert.Equal(expected, AstDump.Format(result));
    }

    [Fact]
    public void EveryFixtureHasAnExpectation()
    {
        Assert.True(FixtureFiles.ValidNames().Count() >= 10);
        foreach (string name in FixtureFiles.ValidNames())
        {
            Assert.True(File.Exists(Path.Combine(FixtureFiles.Valid, name + ".expected")), name);
        }
    }
}
