namespace PickleGuard.Cli.Tests;

public class RulesCommandTests
{
    [Fact]
    public void ListsEveryRuleOnce()
    {
        var result = CliRunner.Run("rules");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(RuleCatalog.All.Count, lines.Length);
        Assert.Contains(lines, line => line.StartsWith("PG220  unscannable-content", StringComparison.Ordinal) && line.Contains("medium"));
        Assert.Equal(RuleCatalog.All.Count, RuleCatalog.All.Select(r => r.Code).Distinct().Count());
    }

    [Fact]
    public void RuleShowsItsHelpByCodeOrSlug()
    {
        var byCode = CliRunner.Run("rule", "PG222");
        Assert.Equal(0, byCode.ExitCode);
        Assert.StartsWith("PG222 zip-header-mismatch:", byCode.Out);
        Assert.Contains("Why it matters:", byCode.Out);
        Assert.Equal(byCode.Out, CliRunner.Run("rule", "zip-header-mismatch").Out);
    }

    [Fact]
    public void UnknownRuleIsAUsageError()
    {
        var result = CliRunner.Run("rule", "PG999");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown rule 'PG999'", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void WriteDocsProducesOnePagePerRule()
    {
        using var dir = new TempDir();
        var result = CliRunner.RunIn(dir.Root, "rules", "--write-docs", "out");
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Out);
        var written = Directory.GetFiles(Path.Combine(dir.Root, "out")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(RuleCatalog.All.Count + 1, written.Count);
        Assert.Contains("README.md", written);
        Assert.StartsWith("# PG220 unscannable-content:", File.ReadAllText(Path.Combine(dir.Root, "out", "PG220.md")));
    }

    [SkippableFact]
    public void CommittedRuleDocsAreUpToDate()
    {
        var root = CliRunner.RepositoryRoot();
        Skip.If(root is null, "not running from a checkout");
        var docs = Path.Combine(root, "docs", "rules");
        var expected = RuleDocsWriter.Render(RuleCatalog.All);
        foreach (var (name, content) in expected)
        {
            var path = Path.Combine(docs, name);
            Assert.True(File.Exists(path), $"{path} is missing: run 'pickleguard rules --write-docs docs/rules'");
            Assert.True(content == File.ReadAllText(path), $"{path} is stale: run 'pickleguard rules --write-docs docs/rules'");
        }
        var extra = Directory.GetFiles(docs).Select(Path.GetFileName).Where(name => !expected.ContainsKey(name!)).ToList();
        Assert.True(extra.Count == 0, "docs/rules has pages for no rule: " + string.Join(", ", extra));
    }
}
