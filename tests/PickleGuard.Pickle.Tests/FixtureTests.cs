namespace PickleGuard.Pickle.Tests;

/// <summary>Every committed fixture: malicious ones must raise their expected rules, benign ones must be clean.</summary>
public sealed class FixtureTests
{
    public static TheoryData<string, string, string, string> Manifest()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(FixturePaths.PickleFixtures, "manifest.tsv")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            data.Add(parts[0], parts[1], parts[2], parts.Length > 3 ? parts[3] : "");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Manifest))]
    public void Fixture_is_classified_as_expected(string file, string kind, string profile, string expectedRules)
    {
        var result = Scan.File(Path.Combine(FixturePaths.PickleFixtures, file), profile);
        if (kind == "benign")
        {
            Assert.True(result.Findings.Count == 0, $"{file} under '{profile}': " + string.Join("\n", result.Findings.Select(f => $"{f.RuleCode} {f.Message}")));
            Assert.True(result.CompletelyRead);
        }
        else
        {
            var rules = result.Rules();
            foreach (var rule in expectedRules.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(rules.Contains(rule), $"{file}: expected {rule}, got [{string.Join(", ", rules)}]: " + string.Join(" | ", result.Findings.Select(f => f.Message)));
            }
        }
    }

    [Fact]
    public void Manifest_covers_every_fixture_file()
    {
        var listed = Manifest().Select(row => (string)row[0]).ToHashSet();
        var onDisk = Directory.GetFiles(FixturePaths.PickleFixtures, "*.pkl", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(FixturePaths.PickleFixtures, p).Replace('\\', '/'));
        Assert.DoesNotContain(onDisk, f => !listed.Contains(f));
        Assert.True(listed.Count >= 100);
    }
}
