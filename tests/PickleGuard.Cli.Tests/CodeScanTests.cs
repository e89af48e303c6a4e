using System.Text.Json;

namespace PickleGuard.Cli.Tests;

/// <summary>End-to-end scans of Python code and notebooks: findings, suppressions, baselines, notebooks.</summary>
public class CodeScanTests
{
    private const string Handler = """
        import pickle

        def handle(blob):
            return pickle.loads(blob)
        """;

    private static JsonElement Findings(CliResult result) => JsonDocument.Parse(result.Out).RootElement.GetProperty("findings");

    [Fact]
    public void CodeFindingCarriesPositionCodeLineAndSlug()
    {
        using var dir = new TempDir();
        dir.Write("svc/handler.py", Handler);
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        var finding = Assert.Single(Findings(result).EnumerateArray());
        Assert.Equal("PG101", finding.GetProperty("rule").GetString());
        Assert.Equal("svc/handler.py", finding.GetProperty("path").GetString());
        Assert.Equal(4, finding.GetProperty("line").GetInt32());
        Assert.Equal(12, finding.GetProperty("column").GetInt32());
        Assert.Equal("return pickle.loads(blob)", finding.GetProperty("code").GetString());
        Assert.Equal("pickle-load", finding.GetProperty("slug").GetString());

        var text = CliRunner.RunIn(dir.Root, "scan");
        Assert.Contains("svc/handler.py:4:12: medium PG101 [pickle-load]", text.Out);
        Assert.Contains("  4 |     return pickle.loads(blob)\n    |            ^", text.Out.Replace("\r\n", "\n"));
    }

    [Fact]
    public void TorchLoadIsLowWhereTheProjectRequiresTorch26()
    {
        var (pinned, older) = ScanUnderTwoManifests("import torch\n\ndef load(path):\n    return torch.load(path)\n",
            ("pyproject.toml", "[project]\ndependencies = [\"torch>=2.6\"]\n"), ("requirements.txt", "torch==2.5.1\n"));
        Assert.Equal("low", pinned.GetProperty("severity").GetString());
        Assert.Contains("pyproject.toml: torch>=2.6", pinned.GetProperty("message").GetString());
        Assert.Contains("pass `weights_only=True` to stay safe", pinned.GetProperty("message").GetString());
        Assert.Equal("medium", older.GetProperty("severity").GetString());
    }

    [Fact]
    public void LoadStateDictFromUrlIsNotLoweredByATorch26Requirement()
    {
        using var dir = new TempDir();
        dir.Write("pyproject.toml", "[project]\ndependencies = [\"torch>=2.7\"]\n");
        dir.Write("hub.py", "import torch\n\ndef fetch(url):\n    return torch.hub.load_state_dict_from_url(url)\n");
        var finding = Assert.Single(Findings(CliRunner.RunIn(dir.Root, "scan", "--format", "json")).EnumerateArray());
        Assert.Equal("high", finding.GetProperty("severity").GetString()); // it decodes what it downloads
        Assert.Contains("weights_only=False default on every torch version", finding.GetProperty("message").GetString());
    }

    [Fact]
    public void NltkDataLoadIsLowWhereTheProjectRequiresNltk382()
    {
        var (pinned, older) = ScanUnderTwoManifests("import nltk\n\ndef load(url):\n    return nltk.data.load(url)\n",
            ("requirements.txt", "nltk>=3.9.1\n"), ("requirements.txt", "nltk==3.8.1\n"));
        Assert.Equal("low", pinned.GetProperty("severity").GetString());
        // Several formats are safe, none of them the pickle the call wanted: no advice to pass one.
        Assert.Contains("an older release installed would not be", pinned.GetProperty("message").GetString());
        Assert.Equal("medium", older.GetProperty("severity").GetString());
    }

    [Fact]
    public void SafeGlobalsThatRunCodeAreReported()
    {
        using var dir = new TempDir();
        dir.Write("loader.py", "import os\nfrom collections import OrderedDict\nimport torch\nfrom torch.serialization import safe_globals\n\n"
            + "class Config:\n    pass\n\ntorch.serialization.add_safe_globals([Config, OrderedDict])\n"
            + "torch.serialization.add_safe_globals([Config, (os.system, \"os.system\")])\n\n"
            + "def load(path):\n    with safe_globals([eval]):\n        return torch.load(path, weights_only=True)\n");
        var findings = Findings(CliRunner.RunIn(dir.Root, "scan", "--format", "json")).EnumerateArray()
            .Where(f => f.GetProperty("rule").GetString() == "PG110").ToList();
        Assert.Equal([10, 13], findings.Select(f => f.GetProperty("line").GetInt32()));
        Assert.Contains("allows `os.system` in torch's weights-only unpickler", findings[0].GetProperty("message").GetString());
        Assert.Contains("`builtins.eval`", findings[1].GetProperty("message").GetString());
        Assert.EndsWith("inside the `with` block.", findings[1].GetProperty("message").GetString());
    }

    /// <summary>The finding of the same one-finding module scanned in a project with each manifest (file name, text).</summary>
    private static (JsonElement Pinned, JsonElement Older) ScanUnderTwoManifests(string code, (string Name, string Text) pinned, (string Name, string Text) older)
    {
        using var dir = new TempDir();
        dir.Write("new/" + pinned.Name, pinned.Text);
        dir.Write("new/module.py", code);
        dir.Write("old/" + older.Name, older.Text);
        dir.Write("old/module.py", code);
        var findings = Findings(CliRunner.RunIn(dir.Root, "scan", "--format", "json")).EnumerateArray()
            .ToDictionary(f => f.GetProperty("path").GetString()!, f => f);
        return (findings["new/module.py"], findings["old/module.py"]);
    }

    [Fact]
    public void InfoFindingsAppearOnlyWithSeverityInfo()
    {
        using var dir = new TempDir();
        dir.Write("only_import.py", "import pickle\n");
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan").ExitCode);
        var result = CliRunner.RunIn(dir.Root, "scan", "--severity", "info", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("PG100", Findings(result)[0].GetProperty("rule").GetString());
    }

    [Theory]
    [InlineData("# nosec")]
    [InlineData("# noqa")]
    [InlineData("# noqa: PG101")]
    [InlineData("# pickleguard: ignore[PG101]")]
    [InlineData("# pickleguard: ignore")]
    public void SuppressionCommentsSilenceTheLine(string comment)
    {
        using var dir = new TempDir();
        dir.Write("h.py", Handler.Replace("pickle.loads(blob)", "pickle.loads(blob)  " + comment, StringComparison.Ordinal));
        var result = CliRunner.RunIn(dir.Root, "scan");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No findings; 1 suppressed by comments (1 medium; --show-suppressed reports them).", result.Out.Trim());
    }

    [Fact]
    public void SuppressedFindingsAreCountedAndShownOnRequest()
    {
        using var dir = new TempDir();
        dir.Write("h.py", Handler.Replace("pickle.loads(blob)", "pickle.loads(blob)  # nosec", StringComparison.Ordinal) + "\ndef other(raw):\n    return pickle.loads(raw)\n");
        var json = CliRunner.RunIn(dir.Root, "scan", "--format", "json");
        Assert.Equal(1, json.ExitCode);
        Assert.Single(Findings(json).EnumerateArray());
        var suppressed = JsonDocument.Parse(json.Out).RootElement.GetProperty("suppressed");
        Assert.Equal(1, suppressed.GetProperty("medium").GetInt32());
        Assert.Single(suppressed.EnumerateObject());

        var shown = CliRunner.RunIn(dir.Root, "scan", "--format", "json", "--show-suppressed");
        Assert.Equal(2, Findings(shown).GetArrayLength());
        Assert.False(JsonDocument.Parse(shown.Out).RootElement.TryGetProperty("suppressed", out _));

        // Below the threshold a finding is not reported anyway, so its comment hides nothing worth counting.
        var high = CliRunner.RunIn(dir.Root, "scan", "--format", "json", "--severity", "high");
        Assert.False(JsonDocument.Parse(high.Out).RootElement.TryGetProperty("suppressed", out _));
    }

    [Theory]
    [InlineData("# noqa: PG102")]
    [InlineData("# nosec B301")]
    [InlineData("# pickleguard: ignore[PG103]")]
    public void SuppressionsForOtherCodesDoNot(string comment)
    {
        using var dir = new TempDir();
        dir.Write("h.py", Handler.Replace("pickle.loads(blob)", "pickle.loads(blob)  " + comment, StringComparison.Ordinal));
        Assert.Equal(1, CliRunner.RunIn(dir.Root, "scan").ExitCode);
    }

    [Fact]
    public void BaselineSurvivesMovedCode()
    {
        using var dir = new TempDir();
        dir.Write("h.py", Handler);
        Assert.Equal(1, CliRunner.RunIn(dir.Root, "scan", "--format", "json", "--output", "base.json").ExitCode);
        dir.Write("h.py", "# a new header comment\n\n" + Handler);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", "--baseline", "base.json").ExitCode);
        dir.Write("h.py", "# a new header comment\n\n" + Handler + "\ndef other(raw):\n    return pickle.loads(raw)\n");
        var result = CliRunner.RunIn(dir.Root, "scan", "--baseline", "base.json", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("return pickle.loads(raw)", Assert.Single(Findings(result).EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public void NotebookFindingsNameCellAndLine()
    {
        using var dir = new TempDir();
        dir.Write("nb.ipynb", """
            {"cells": [
              {"cell_type": "markdown", "source": ["# Load data"]},
              {"cell_type": "code", "source": ["%matplotlib inline\n", "import pickle, sys\n"]},
              {"cell_type": "code", "source": ["path = sys.argv[1]\n", "data = pickle.load(open(path, 'rb'))\n"]}
            ], "nbformat": 4}
            """);
        var json = CliRunner.RunIn(dir.Root, "scan", "--format", "json");
        Assert.Equal(1, json.ExitCode);
        var finding = Findings(json)[0];
        Assert.Equal("nb.ipynb", finding.GetProperty("path").GetString());
        Assert.Equal(3, finding.GetProperty("cell").GetInt32());
        Assert.Equal(2, finding.GetProperty("line").GetInt32());
        var text = CliRunner.RunIn(dir.Root, "scan");
        Assert.StartsWith("nb.ipynb:cell 3:2:8: ", text.Out);
    }

    [Fact]
    public void BrokenNotebookIsAnInputErrorAndTheRunGoesOn()
    {
        using var dir = new TempDir();
        dir.Write("bad.ipynb", "{not json");
        dir.Write("h.py", Handler);
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var error = Assert.Single(document.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal("bad.ipynb", error.GetProperty("path").GetString());
        Assert.StartsWith("invalid notebook JSON", error.GetProperty("message").GetString());
    }

    [Fact]
    public void UndecodableSourceIsReportedAndTheRunGoesOn()
    {
        using var dir = new TempDir();
        dir.WriteBytes("latin.py", [0x23, 0x20, 0xff, 0xfe, 0x0a, 0x78, 0x20, 0x3d, 0x20, 0x31, 0x0a]);
        dir.Write("h.py", Handler);
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        Assert.Equal("latin.py", Assert.Single(document.RootElement.GetProperty("errors").EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public void BadExtraModelIsAConfigurationError()
    {
        using var dir = new TempDir();
        dir.Write("models.toml", "this is not a model file\n");
        dir.Write("pyproject.toml", "[tool.pickleguard]\nextra-models = [\"models.toml\"]\n");
        dir.Write("h.py", Handler);
        var result = CliRunner.RunIn(dir.Root, "scan");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("models.toml", result.Error);
    }

    [SkippableFact]
    public void ScansTheBundledExamples()
    {
        var root = CliRunner.RepositoryRoot();
        Skip.If(root is null, "not running from a checkout");
        var result = CliRunner.RunIn(root, "scan", "examples", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        var findings = Findings(result).EnumerateArray()
            .Select(f => (Rule: f.GetProperty("rule").GetString(), Path: f.GetProperty("path").GetString(), Line: f.GetProperty("line").GetInt32()))
            .ToList();
        Assert.Contains(("PG201", "examples/artifacts/MALICIOUS_DEMO_do_not_load.pkl", 0), findings);
        Assert.Contains(findings, f => f.Rule == "PG101" && f.Path == "examples/flask_app/app/routes.py" && f.Line == 17);
        Assert.Contains(findings, f => f.Rule == "PG103" && f.Path == "examples/flask_app/app/routes.py");
        Assert.Contains(findings, f => f.Rule == "PG104" && f.Path == "examples/flask_app/app/routes.py");
        Assert.Contains(findings, f => f.Rule == "PG101" && f.Path == "examples/flask_app/app/serialization.py");
        Assert.DoesNotContain(findings, f => f.Path!.EndsWith("benign_model.pkl", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Path!.EndsWith("config.py", StringComparison.Ordinal));
    }
}
