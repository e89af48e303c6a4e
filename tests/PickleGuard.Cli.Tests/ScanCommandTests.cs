using System.Text;
using System.Text.Json;

namespace PickleGuard.Cli.Tests;

public class ScanCommandTests
{
    // GLOBAL os.system, MARK, STRING, TUPLE, REDUCE, STOP: a hand-assembled protocol-0 pickle. Never loaded.
    private static readonly byte[] MaliciousPickle = Encoding.ASCII.GetBytes("cos\nsystem\n(S'echo hi'\ntR.");

    // PROTO 2, EMPTY_DICT, STOP: plain data.
    private static readonly byte[] BenignPickle = [0x80, 0x02, 0x7d, 0x2e];

    /// <summary>A gzip stream of <paramref name="text"/> (test input; nothing here is ever loaded).</summary>
    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.ASCII.GetBytes(text));
        }
        return output.ToArray();
    }

    private static TempDir Project()
    {
        var dir = new TempDir();
        dir.WriteBytes("models/evil.pkl", MaliciousPickle);
        dir.WriteBytes("models/ok.pkl", BenignPickle);
        dir.Write("app.py", "x = 1\n");
        return dir;
    }

    [Fact]
    public void MaliciousArtifactIsAHighFindingAndExitsOne()
    {
        using var dir = Project();
        var result = CliRunner.RunIn(dir.Root, "scan", ".");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("models/evil.pkl @ offset 0x0: high PG201 [dangerous-global]", result.Out);
        Assert.Contains("    callable: os.system", result.Out);
        Assert.DoesNotContain("ok.pkl", result.Out);
        Assert.Contains("scanned 1 source file and 2 artifacts", result.Error);
        Assert.DoesNotContain(".gitignore left out", result.Error);
    }

    [Fact]
    public void AnExplicitFileIsScannedByContentEvenWhenTheHeadSnifferDoesNotKnowIt()
    {
        using var dir = new TempDir();
        // A long PERSID, POP, then GLOBAL os.system ... REDUCE: the first 64 bytes decide nothing. Never loaded.
        dir.WriteBytes("payload", Encoding.ASCII.GetBytes("P" + new string('x', 200) + "\n0cos\nsystem\n(S'true'\ntR."));
        dir.Write("script", "import pickle\npickle.loads(data)\n");
        var artifact = CliRunner.RunIn(dir.Root, "scan", "payload");
        Assert.Equal(1, artifact.ExitCode);
        Assert.Contains("high PG201 [dangerous-global]", artifact.Out);
        Assert.Contains("scanned 0 source files and 1 artifact", artifact.Error);
        var script = CliRunner.RunIn(dir.Root, "scan", "script");
        Assert.Contains("PG101", script.Out);
        Assert.Contains("scanned 1 source file and 0 artifacts", script.Error);
    }

    [Fact]
    public void InertTextNamedLikeAModelOrStartingWithAnOpcodeIsNotABrokenPickle()
    {
        // A scan of site-packages reported these as malformed pickles (PG204, medium): a site .pth file, whose lines
        // are paths or `import` statements, and an egg-info top_level.txt ("crcmod": 'c' GLOBAL with no name line).
        using var dir = new TempDir();
        dir.Write("site/distutils-precedence.pth", "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'\n");
        dir.Write("site/_ca.pth", "# a comment\n/usr/lib/extra\n");
        dir.Write("site/crcmod-1.7.egg-info/top_level.txt", "crcmod\n");
        // Requirements files starting with 'c' read as a GLOBAL import of `elery.pylibmc`, `lick.requests` (dramatiq's
        // benchmarks/requirements.txt, NLTK's requirements-ci.txt): reported as PG202 and PG204 before.
        dir.Write("site/requirements.txt", "celery\npylibmc\n");
        dir.Write("site/requirements-ci.txt", "click\nrequests>=2.0\n# comment\n");
        // Text read as a pickle by its content alone (no opcode start, no model name): a Visual Studio solution file
        // reads as globals such as `tion.EndProject` past a broken MARK (Ray's Ray.sln: PG202 and PG204 before).
        dir.Write("site/Ray.sln", "Microsoft Visual Studio Solution File, Format Version 12.00\n\tProjectSection\n\tEndProjectSection\nEndProject\n");
        dir.Write("site/notes.txt", "Microsoft\n\tSection\nEnd\n");
        // MyST Markdown pages opening with a `(label)=` target: MARK, then INST of `ndex)=` with an empty name, whose
        // lookup fails before any call (stable-baselines3's docs: PG202 and PG204 before).
        dir.Write("site/docs/index.md", "(index)=\n\n# Stable Baselines3 Docs\n");
        dir.Write("site/docs/install.md", "(install)=\n\n# Installation\n\n```bash\npip install stable-baselines3\n```\n");
        // Text is UTF-8, not only ASCII: one curly apostrophe made such a page a broken pickle (wagtail's docs: PG202, PG204).
        dir.Write("site/docs/personalization.md", "(content_personalization)=\n\n# Content personalization\n\nWagtail\u2019s built-in features.\n");
        // Compressed text is inert text too (scrapy's Content-Encoding test data: PG204 on the decoded HTML before).
        dir.WriteBytes("site/html-gzip.bin", Gzip("<!DOCTYPE html>\n<html><body>hello</body></html>\n"));
        dir.WriteBytes("site/bomb-gzip.bin", Gzip(string.Concat(Enumerable.Repeat("This is a compression bomb.\n", 2000))));
        // The same text shapes holding a payload stay artifacts. Never loaded.
        dir.Write("models/evil.pth", "cos\nsystem\n(S'true'\ntR.");
        dir.Write("models/late.pth", "(S'" + new string('a', 300) + "'\np0\n0cos\nsystem\n(S'true'\ntR.");
        dir.Write("models/hook.pth", "Pstorage\n");   // PERSID: the loading program's persistent_load decides
        dir.Write("models/notes.txt", "cidlelib.idle\n-\n");   // importing idlelib.idle opens IDLE: denied, never inert
        dir.WriteBytes("models/payload.gz", Gzip("cos\nsystem\n(S'true'\ntR."));
        dir.Write("models/inst.md", "(S'true'\nios\nsystem\n.");   // INST of a real global: a call
        // Raw UTF-8 in a protocol 0 unicode string (`V` is raw-unicode-escape), before an INST of a real global, no STOP.
        dir.Write("models/unicode.md", "(Vcaf\u00e9\u2019\nios\nsystem\n");
        var result = CliRunner.RunIn(dir.Root, "scan", ".", "--severity", "info");
        Assert.DoesNotContain("site/", result.Out);
        Assert.Contains("models/evil.pth @ offset 0x0: high PG201", result.Out);
        Assert.Contains("models/late.pth @ offset 0x135: high PG201", result.Out);
        Assert.Contains("models/hook.pth @ offset 0x0: medium PG208", result.Out);
        Assert.Contains("models/notes.txt @ offset 0x0: high PG201", result.Out);
        Assert.Contains("models/payload.gz @ offset 0x0: high PG201", result.Out);
        Assert.Contains("models/inst.md @ offset 0x9: high PG201", result.Out);
        Assert.Contains("models/unicode.md @ offset 0xb: high PG201", result.Out);
        Assert.Contains("scanned 0 source files and 7 artifacts", result.Error);
        // Named explicitly, a model extension is scanned whatever its content: a file no opcode starts is no pickle
        // (every unpickler stops at its first byte), so it is not a recognised artifact rather than a broken pickle.
        var named = CliRunner.RunIn(dir.Root, "scan", "site/_ca.pth", "--severity", "info");
        Assert.Contains("site/_ca.pth: info PG226 [not-a-recognised-artifact] not a recognised artifact (starts with 2320", named.Out);
        dir.Write("site/broken.pth", "(S'unterminated");
        Assert.Contains("site/broken.pth @ offset 0x1: medium PG204", CliRunner.RunIn(dir.Root, "scan", "site/broken.pth").Out);
    }

    [Fact]
    public void BinaryDataNamedLikeAModelIsNotABrokenPickle()
    {
        // sqlalchemy's test .dat files and a Java serialized object: PG204 (medium) before, though every unpickler
        // stops at a first byte that no opcode defines.
        using var dir = new TempDir();
        dir.WriteBytes("data/binary_data.dat", [0x6D, 0xF2, 0x0D, 0x0A, 0x7F, 0x10, 0x1A, 0x45]);
        dir.WriteBytes("data/java_object.bin", [0xAC, 0xED, 0x00, 0x05, 0x73, 0x72, 0x00, 0x11]);
        var result = CliRunner.RunIn(dir.Root, "scan", ".", "--severity", "info");
        Assert.DoesNotContain("PG204", result.Out);
        Assert.Contains("data/java_object.bin: info PG226", result.Out);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", ".").ExitCode);
    }

    [Fact]
    public void CleanProjectExitsZero()
    {
        using var dir = new TempDir();
        dir.WriteBytes("ok.pkl", BenignPickle);
        dir.Write("app.py", "import json\n");
        var result = CliRunner.RunIn(dir.Root, "scan");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No findings.", result.Out.Trim());
    }

    [Fact]
    public void SeverityThresholdSelectAndIgnoreDecideTheExitCode()
    {
        using var dir = Project();
        Assert.Equal(1, CliRunner.RunIn(dir.Root, "scan", "--severity", "high").ExitCode);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", "--ignore", "PG201").ExitCode);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", "--select", "PG1,PG3").ExitCode);
        Assert.Equal(1, CliRunner.RunIn(dir.Root, "scan", "--select", "PG2", "--ignore", "PG22").ExitCode);
    }

    [Fact]
    public void BadOptionValuesAreUsageErrors()
    {
        using var dir = Project();
        Assert.Equal(2, CliRunner.RunIn(dir.Root, "scan", "--severity", "critical").ExitCode);
        Assert.Equal(2, CliRunner.RunIn(dir.Root, "scan", "--profile", "tensorflow").ExitCode);
        Assert.Equal(2, CliRunner.RunIn(dir.Root, "scan", "--format", "xml").ExitCode);
        Assert.Equal(2, CliRunner.RunIn(dir.Root, "scan", "--baseline", "missing.json").ExitCode);
        Assert.Equal(2, CliRunner.RunIn(dir.Root, "scan", "--config", "missing.toml").ExitCode);
    }

    [Fact]
    public void ConfigurationSetsTheThresholdAndTheCommandLineWins()
    {
        using var dir = Project();
        dir.Write("pyproject.toml", "[tool.pickleguard]\nignore = [\"PG201\"]\n");
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan").ExitCode);
        Assert.Equal(1, CliRunner.RunIn(dir.Root, "scan", "--ignore", "PG9").ExitCode);
    }

    [Fact]
    public void ConfigurationExcludeIsRelativeToTheConfigFile()
    {
        using var dir = Project();
        dir.Write("pyproject.toml", "[tool.pickleguard]\nexclude = [\"models/evil.pkl\"]\n");
        var result = CliRunner.RunIn(Path.Combine(dir.Root, "models"), "scan", ".");
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void JsonGoesToTheOutputFileAndStdoutStaysEmpty()
    {
        using var dir = Project();
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "json", "--output", "report.json");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Out);
        using var document = JsonDocument.Parse(File.ReadAllText(dir.Path_("report.json")));
        var finding = document.RootElement.GetProperty("findings")[0];
        Assert.Equal("PG201", finding.GetProperty("rule").GetString());
        Assert.Equal("models/evil.pkl", finding.GetProperty("path").GetString());
        Assert.Equal("os.system", finding.GetProperty("callable").GetString());
        Assert.Equal("0.1.0", document.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void BaselineHidesKnownFindingsAndShowsNewOnes()
    {
        using var dir = Project();
        Assert.Equal(1, CliRunner.RunIn(dir.Root, "scan", "--format", "json", "--output", "baseline.json").ExitCode);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", "--baseline", "baseline.json").ExitCode);
        dir.WriteBytes("models/new.pkl", Encoding.ASCII.GetBytes("csubprocess\ncall\n(S'id'\ntR."));
        var result = CliRunner.RunIn(dir.Root, "scan", "--baseline", "baseline.json");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("models/new.pkl", result.Out);
        Assert.DoesNotContain("models/evil.pkl", result.Out);
    }

    [SkippableFact]
    public void SarifOutputValidatesAgainstTheSchema()
    {
        var schema = SarifSchema.Locate();
        Skip.If(schema is null, "shared/schemas/sarif-schema-2.1.0.json not found above the test directory");
        using var dir = Project();
        dir.Write("broken.py", "def (:\n");
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "sarif");
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(SarifSchema.Validate(schema, result.Out));
        using var document = JsonDocument.Parse(result.Out);
        var run = document.RootElement.GetProperty("runs")[0];
        Assert.Equal("PG201", run.GetProperty("results")[0].GetProperty("ruleId").GetString());
        Assert.True(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").GetArrayLength() >= 20);
        Assert.NotEqual(0, run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").GetArrayLength());
    }

    [Fact]
    public void SyntaxErrorsAreReportedButDoNotFailTheScan()
    {
        using var dir = new TempDir();
        dir.Write("broken.py", "x = 1\ndef (:\n");
        var result = CliRunner.RunIn(dir.Root, "scan", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Out);
        var error = document.RootElement.GetProperty("errors")[0];
        Assert.Equal("broken.py", error.GetProperty("path").GetString());
        Assert.Contains("syntax error at line 2", error.GetProperty("message").GetString());
    }

    [Fact]
    public void ExplicitArtifactIsScannedEvenIfExcluded()
    {
        using var dir = Project();
        var result = CliRunner.RunIn(dir.Root, "scan", "models/evil.pkl", "--exclude", "models");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(0, CliRunner.RunIn(dir.Root, "scan", ".", "--exclude", "models").ExitCode);
    }
}
