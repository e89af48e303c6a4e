using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Fixes;

/// <summary>Over every Python fixture of the repository (not only the fix fixtures): fixes parse and converge.</summary>
public sealed class FixPropertyTests
{
    [Fact]
    public void EveryFixtureFixesIntoAParseableFileInOneRound()
    {
        var root = Path.GetDirectoryName(FixScan.FixtureRoot)!;
        var files = Directory.GetFiles(root, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 20, "expected the repository's Python fixtures under " + root);
        var fixedFiles = 0;
        foreach (var file in files)
        {
            var code = File.ReadAllText(file);
            var findings = FixScan.Findings(code, Path.GetFileName(file));
            var once = FixScan.Apply(code, findings);
            Assert.True(PythonParser.Parse(once).Diagnostics.Count <= PythonParser.Parse(code).Diagnostics.Count, file);
            Assert.Equal(once, FixScan.Fixed(once, Path.GetFileName(file)));
            fixedFiles += once == code ? 0 : 1;
        }
        Assert.True(fixedFiles >= 4, $"only {fixedFiles} fixture files had a fix");
    }

    [Fact]
    public void ThousandsOfFixesInOneFileStayLinear()
    {
        // Locating calls and checking the parse once per finding made 9,000 fixes take minutes; now it is one parse per file.
        var code = "import torch\ndef f(p):\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => $"    a{i} = torch.load(p)\n"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var findings = FixScan.Findings(code);
        Assert.Equal(3000, findings.Count(f => f.Fix is not null));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.DoesNotContain("torch.load(p)\n", FixScan.Apply(code, findings), StringComparison.Ordinal);
    }
}
