using System.Text;

namespace PickleGuard.Cli.Tests.Fixing;

/// <summary><c>scan --diff</c> and <c>scan --fix</c> end to end, on files in a scratch directory.</summary>
public sealed class ScanFixTests
{
    private const string Yaml = "import yaml\n\n\ndef read(s):\n    # parse the config\n    return yaml.load(s, Loader=yaml.Loader)\n";

    [Fact]
    public void DiffPrintsAUnifiedDiffAndChangesNothing()
    {
        using var dir = new TempDir();
        var path = dir.Write("pkg/conf.py", Yaml);
        var result = CliRunner.RunIn(dir.Root, "scan", "--diff", ".");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "--- a/pkg/conf.py\n+++ b/pkg/conf.py\n@@ -3,4 +3,4 @@\n \n def read(s):\n     # parse the config\n"
            + "-    return yaml.load(s, Loader=yaml.Loader)\n+    return yaml.safe_load(s)\n",
            result.Out);
        Assert.Contains("1 fix available in 1 file", result.Error, StringComparison.Ordinal);
        Assert.Equal(Yaml, File.ReadAllText(path));
    }

    [Fact]
    public void DiffWithNothingToFixExitsZero()
    {
        using var dir = new TempDir();
        dir.Write("a.py", "import pickle\n\ndef f(b):\n    return pickle.loads(b)\n");
        var result = CliRunner.RunIn(dir.Root, "scan", "--diff", ".");
        Assert.Equal((0, ""), (result.ExitCode, result.Out));
    }

    [Fact]
    public void FixWritesTheFileAndReportsOnlyWhatRemains()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.py", "import pickle, torch\n\ndef f(b, p):\n    m = torch.load(p)\n    return pickle.loads(b), m\n");
        var result = CliRunner.RunIn(dir.Root, "scan", "--fix", "--format", "json", ".");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("import pickle, torch\n\ndef f(b, p):\n    m = torch.load(p, weights_only=True)\n    return pickle.loads(b), m\n", File.ReadAllText(path));
        Assert.Contains("PG101", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("PG104", result.Out, StringComparison.Ordinal);
        Assert.Contains("fixed 1 finding in 1 file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FixExitsZeroWhenEverythingWasFixedAndIsIdempotent()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.py", Yaml);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", "--fix", ".").ExitCode);
        var once = File.ReadAllBytes(path);
        var again = CliRunner.RunIn(dir.Root, "scan", "--fix", ".");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("fixed 0 findings in 0 files", again.Error, StringComparison.Ordinal);
        Assert.Equal(once, File.ReadAllBytes(path));
    }

    [Fact]
    public void BomLineEndingsAndEverythingOutsideTheEditStayByteForByte()
    {
        using var dir = new TempDir();
        var before = "import yaml\r\n# café: \u00e9t\u00e9 \U0001F600\r\n\r\nx = yaml.load(s, Loader=yaml.Loader)  # keep\r\ny = 1";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(before)).ToArray();
        var path = dir.WriteBytes("a.py", bytes);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", "--fix", ".").ExitCode);
        var expected = Encoding.UTF8.GetPreamble()
            .Concat(Encoding.UTF8.GetBytes(before.Replace("yaml.load(s, Loader=yaml.Loader)", "yaml.safe_load(s)", StringComparison.Ordinal)))
            .ToArray();
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void NonUtf8FilesAreNotRewritten()
    {
        using var dir = new TempDir();
        var bytes = Encoding.Latin1.GetBytes("# -*- coding: latin-1 -*-\n# \u00e9\nimport torch\ntorch.load(p)\n");
        var path = dir.WriteBytes("a.py", bytes);
        var result = CliRunner.RunIn(dir.Root, "scan", "--fix", ".");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("a.py: not fixed: the file is not UTF-8", result.Error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void FixesOnlyWhatIsReported()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.py", "import torch, yaml\ntorch.load(p)\nyaml.load(s)\n");
        CliRunner.RunIn(dir.Root, "scan", "--fix", "--select", "PG104", ".");
        Assert.Equal("import torch, yaml\ntorch.load(p, weights_only=True)\nyaml.load(s)\n", File.ReadAllText(path));
    }

    [Fact]
    public void FixAndDiffTogetherIsAUsageError() =>
        Assert.Equal(2, CliRunner.Run("scan", "--fix", "--diff", ".").ExitCode);

    [Fact]
    public void SarifCarriesTheFix()
    {
        using var dir = new TempDir();
        dir.Write("a.py", "import torch\ntorch.load(p)\n");
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "sarif", ".");
        Assert.Contains("\"fixes\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"text\": \", weights_only=True\"", result.Out, StringComparison.Ordinal);
    }
}
