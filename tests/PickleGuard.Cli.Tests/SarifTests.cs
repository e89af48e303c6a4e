using System.Text.Json;
using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Tests;

public class SarifTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "pg-sarif-root");

    private static string Render(Report report)
    {
        var output = new StringWriter();
        SarifReporter.Write(report, Samples.Context(Root), output);
        return output.ToString();
    }

    [SkippableFact]
    public void OutputValidatesAgainstTheSarifSchema()
    {
        var schema = SarifSchema.Locate();
        Skip.If(schema is null, "shared/schemas/sarif-schema-2.1.0.json not found above the test directory");
        var errors = SarifSchema.Validate(schema, Render(Samples.Report(Root)));
        Assert.Empty(errors);
    }

    [SkippableFact]
    public void SchemaValidationCanFail()
    {
        var schema = SarifSchema.Locate();
        Skip.If(schema is null, "shared/schemas/sarif-schema-2.1.0.json not found above the test directory");
        var broken = Render(Samples.Report(Root)).Replace("\"level\": \"error\"", "\"level\": \"fatal\"", StringComparison.Ordinal);
        Assert.NotEmpty(SarifSchema.Validate(schema, broken));
    }

    [Fact]
    public void RulesCarryGitHubProperties()
    {
        using var document = JsonDocument.Parse(Render(Samples.Report(Root)));
        var run = document.RootElement.GetProperty("runs")[0];
        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("PickleGuard", driver.GetProperty("name").GetString());
        Assert.Equal("0.1.0", driver.GetProperty("version").GetString());
        Assert.Equal(SarifReporter.InformationUri, driver.GetProperty("informationUri").GetString());
        var rule = driver.GetProperty("rules")[0];
        Assert.Equal("PG101", rule.GetProperty("id").GetString());
        Assert.Equal("pickle-loads-untrusted", rule.GetProperty("name").GetString());
        Assert.Equal("Untrusted data reaches pickle deserialization", rule.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal("Finds `pickle.loads` calls whose argument comes from an HTTP request.", rule.GetProperty("fullDescription").GetProperty("text").GetString());
        Assert.Contains("## Why it matters", rule.GetProperty("help").GetProperty("markdown").GetString());
        Assert.Contains("Why it matters:", rule.GetProperty("help").GetProperty("text").GetString());
        Assert.Equal("9.8", rule.GetProperty("properties").GetProperty("security-severity").GetString());
        Assert.Equal(["security", "external/cwe/cwe-502"], rule.GetProperty("properties").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("error", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
    }

    [Fact]
    public void ResultsHaveRelativeLocationsFlowsFixesAndFingerprints()
    {
        using var document = JsonDocument.Parse(Render(Samples.Report(Root)));
        var run = document.RootElement.GetProperty("runs")[0];
        var result = run.GetProperty("results")[0];
        Assert.Equal("PG101", result.GetProperty("ruleId").GetString());
        Assert.Equal("error", result.GetProperty("level").GetString());
        var physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("app/routes.py", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", physical.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(12, physical.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(12, physical.GetProperty("region").GetProperty("startColumn").GetInt32());
        var flow = result.GetProperty("codeFlows")[0].GetProperty("threadFlows")[0].GetProperty("locations");
        Assert.Equal(2, flow.GetArrayLength());
        Assert.Equal("source", flow[0].GetProperty("kinds")[0].GetString());
        Assert.Equal("request.cookies is user-controlled", flow[0].GetProperty("location").GetProperty("message").GetProperty("text").GetString());
        var replacement = result.GetProperty("fixes")[0].GetProperty("artifactChanges")[0].GetProperty("replacements")[0];
        Assert.Equal(100, replacement.GetProperty("deletedRegion").GetProperty("charOffset").GetInt32());
        Assert.Equal(12, replacement.GetProperty("deletedRegion").GetProperty("charLength").GetInt32());
        Assert.Equal("json.loads", replacement.GetProperty("insertedContent").GetProperty("text").GetString());
        var fingerprint = result.GetProperty("partialFingerprints").GetProperty(SarifReporter.FingerprintName).GetString();
        Assert.Matches("^[0-9a-f]{32}:1$", fingerprint);

        var artifact = run.GetProperty("results")[1];
        Assert.Equal("model.pt", artifact.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Contains("archive/data.pkl", artifact.GetProperty("locations")[0].GetProperty("message").GetProperty("text").GetString());
        Assert.Equal(2, run.GetProperty("invocations")[0].GetProperty("toolExecutionNotifications").GetArrayLength());
    }

    [Fact]
    public void FingerprintsSurviveLineMovesAndDistinguishDuplicates()
    {
        var finding = Samples.CodeFinding(Root);
        var moved = finding with { Location = finding.Location with { Line = 99 } };
        string Fingerprints(params Finding[] findings)
        {
            using var document = JsonDocument.Parse(Render(new Report(findings, [], [])));
            return string.Join(",", document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
                .Select(r => r.GetProperty("partialFingerprints").GetProperty(SarifReporter.FingerprintName).GetString()));
        }
        Assert.Equal(Fingerprints(finding), Fingerprints(moved));
        var pair = Fingerprints(finding, moved).Split(',');
        Assert.NotEqual(pair[0], pair[1]);
    }

    [Fact]
    public void BareArtifactUsesByteRegion()
    {
        var finding = new Finding("PG301", Severity.Medium, new Location(Path.Combine(Root, "x.pkl"), ByteOffset: 42), "m");
        using var document = JsonDocument.Parse(Render(new Report([finding], [], [])));
        var region = document.RootElement.GetProperty("runs")[0].GetProperty("results")[0]
            .GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(42, region.GetProperty("byteOffset").GetInt32());
        Assert.Equal("warning", document.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("level").GetString());
    }

    [Fact]
    public void NotebookLocationsNameTheCellInsteadOfARegion()
    {
        var notebook = Path.Combine(Root, "nb.ipynb");
        var context = new ReportContext("0.1.0", [Samples.CodeRule], Root)
        {
            Notebooks = new Dictionary<string, NotebookCellMap> { [notebook] = new NotebookCellMap([2], [1]) },
        };
        var finding = new Finding("PG101", Severity.High, new Location(notebook, 3, 5), "m");
        var output = new StringWriter();
        SarifReporter.Write(new Report([finding], [], []), context, output);
        using var document = JsonDocument.Parse(output.ToString());
        var result = document.RootElement.GetProperty("runs")[0].GetProperty("results")[0];
        var location = result.GetProperty("locations")[0];
        Assert.False(location.GetProperty("physicalLocation").TryGetProperty("region", out _));
        Assert.Equal("in cell 2, line 3", location.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal(2, result.GetProperty("properties").GetProperty("cell").GetInt32());
    }
}
