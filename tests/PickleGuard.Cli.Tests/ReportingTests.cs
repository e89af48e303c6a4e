using System.Text.Json;
using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Tests;

public class ReportingTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "pg-report-root");

    [Fact]
    public void TextShowsHeaderCaretTraceAndSummary()
    {
        var output = new StringWriter();
        TextReporter.Write(Samples.Report(Root), Samples.Context(Root), output);
        var lines = output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal("app/routes.py:12:12: high PG101 [pickle-loads-untrusted] Untrusted data from request.cookies reaches pickle.loads.", lines[0]);
        Assert.Equal("  12 |     data = pickle.loads(base64.b64decode(request.cookies[\"session\"]))", lines[1]);
        Assert.Equal("     |            ^", lines[2]);
        Assert.Equal("    1. source: app/routes.py:11 request.cookies is user-controlled", lines[3]);
        Assert.Equal("    2. sink: app/routes.py:12 pickle.loads(...)", lines[4]);
        Assert.Equal("    fix: Use json instead of pickle", lines[5]);
        Assert.Contains("model.pt!archive/data.pkl @ offset 0x1a: high PG301 [dangerous-global] Loading this file calls os.system.", lines);
        Assert.Contains("    callable: os.system", lines);
        Assert.Contains("old.py:3:7: python 2 syntax: Missing parentheses in call to 'print'", lines);
        Assert.Contains("broken.pkl: error: truncated pickle stream", lines);
        Assert.Contains("Found 2 findings (2 high); 2 file problems.", lines);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void TextUsesAnsiOnlyWhenAsked()
    {
        var output = new StringWriter();
        var context = new ReportContext("0.1.0", [Samples.CodeRule], Root) { UseColor = true };
        TextReporter.Write(new Report([Samples.CodeFinding(Root)], [], []), context, output);
        Assert.Contains("\u001b[1;31mhigh\u001b[0m", output.ToString());
    }

    [Fact]
    public void SummaryWithoutFindings()
    {
        Assert.Equal("No findings.", TextReporter.Summary(new Report([], [], [])));
    }

    [Fact]
    public void SummaryCountsSuppressedFindingsBySeverity()
    {
        var report = new Report([Samples.InfoFinding(Root)], [], [])
        {
            Suppressed = [Samples.CodeFinding(Root), Samples.CodeFinding(Root), Samples.InfoFinding(Root)],
        };
        Assert.Equal("Found 1 finding (1 info); 3 suppressed by comments (2 high, 1 info; --show-suppressed reports them).",
            TextReporter.Summary(report));
    }

    [Fact]
    public void NotebookFindingsPointAtCellAndLine()
    {
        var notebook = Path.Combine(Root, "nb.ipynb");
        var context = new ReportContext("0.1.0", [Samples.CodeRule], Root)
        {
            // Cells 1 and 3 are code; cell 3 starts at virtual line 4.
            Notebooks = new Dictionary<string, NotebookCellMap> { [notebook] = new NotebookCellMap([1, 3], [1, 4]) },
        };
        var finding = new Finding("PG101", Severity.High, new Location(notebook, 5, 5), "m") { CodeLine = "x = pickle.loads(d)" };
        Assert.Equal("nb.ipynb:cell 3:2:5", TextReporter.LocationText(finding.Location, context));

        var json = new StringWriter();
        JsonReporter.Write(new Report([finding], [], []), context, json);
        var element = JsonDocument.Parse(json.ToString()).RootElement.GetProperty("findings")[0];
        Assert.Equal(3, element.GetProperty("cell").GetInt32());
        Assert.Equal(2, element.GetProperty("line").GetInt32());
    }

    [Fact]
    public void JsonFollowsTheContract()
    {
        var output = new StringWriter();
        JsonReporter.Write(Samples.Report(Root), Samples.Context(Root), output);
        using var document = JsonDocument.Parse(output.ToString());
        var root = document.RootElement;
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());

        var code = root.GetProperty("findings")[0];
        Assert.Equal("PG101", code.GetProperty("rule").GetString());
        Assert.Equal("high", code.GetProperty("severity").GetString());
        Assert.Equal("app/routes.py", code.GetProperty("path").GetString());
        Assert.Equal(12, code.GetProperty("line").GetInt32());
        Assert.Equal(12, code.GetProperty("column").GetInt32());
        Assert.Equal("Untrusted data from request.cookies reaches pickle.loads.", code.GetProperty("message").GetString());
        var trace = code.GetProperty("trace");
        Assert.Equal(2, trace.GetArrayLength());
        Assert.Equal("app/routes.py", trace[0].GetProperty("path").GetString());
        Assert.Equal(11, trace[0].GetProperty("line").GetInt32());
        Assert.Equal("request.cookies is user-controlled", trace[0].GetProperty("message").GetString());
        Assert.Equal("pickle-loads-untrusted", code.GetProperty("slug").GetString());
        Assert.Equal("Use json instead of pickle", code.GetProperty("fix").GetProperty("description").GetString());

        var artifact = root.GetProperty("findings")[1];
        Assert.Equal("model.pt", artifact.GetProperty("path").GetString());
        Assert.Equal("archive/data.pkl", artifact.GetProperty("member").GetString());
        Assert.Equal(0x1a, artifact.GetProperty("offset").GetInt64());
        Assert.Equal("os.system", artifact.GetProperty("callable").GetString());
        Assert.Equal(0, artifact.GetProperty("trace").GetArrayLength());

        var errors = root.GetProperty("errors");
        Assert.Equal(2, errors.GetArrayLength());
        Assert.All(errors.EnumerateArray(), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));
        Assert.Equal(["old.py", "broken.pkl"], errors.EnumerateArray().Select(e => e.GetProperty("path").GetString()));
    }

    [Fact]
    public void PathsOutsideTheBaseStayAbsolute()
    {
        var outside = Path.GetFullPath(Path.Combine(Root, "..", "elsewhere", "x.py"));
        Assert.Equal(outside, PathDisplay.Relative(outside, Root));
        Assert.Equal("a/b.py", PathDisplay.Relative(Path.Combine(Root, "a", "b.py"), Root));
    }

    [Fact]
    public void RuleMarkdownHasEverySection()
    {
        var markdown = RuleMarkdown.ToMarkdown(Samples.CodeRule);
        Assert.StartsWith("# PG101 pickle-loads-untrusted: Untrusted data reaches pickle deserialization\n", markdown);
        foreach (var heading in new[] { "## What it does", "## Why it matters", "## Example", "## Use instead", "## References" })
        {
            Assert.Contains(heading, markdown);
        }
        Assert.Contains("- https://docs.python.org/3/library/pickle.html", markdown);
        Assert.DoesNotContain("## Example", RuleMarkdown.ToMarkdown(Samples.ArtifactRule));
    }

    [Fact]
    public void IdentityIgnoresLineNumbersAndWhitespace()
    {
        var a = Samples.CodeFinding(Root);
        var b = a with { Location = a.Location with { Line = 40 }, CodeLine = "data   =   pickle.loads(base64.b64decode(request.cookies[\"session\"]))" };
        var context = Samples.Context(Root);
        Assert.Equal(FindingIdentity.Key(a, context), FindingIdentity.Key(b, context));
        var c = a with { RuleCode = "PG102" };
        Assert.NotEqual(FindingIdentity.Key(a, context), FindingIdentity.Key(c, context));
    }
}
