using PickleGuard.Analysis.Projects;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Fixtures;

/// <summary>Checks every inline expectation of every fixture project, and that nothing unexpected is reported.</summary>
public sealed class FixtureTests
{
    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var project in FixturePaths.Projects())
        {
            data.Add(Path.GetFileName(project));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void ExpectationsHold(string project)
    {
        var root = Path.Combine(FixturePaths.CodeRoot, project);
        var files = Directory.GetFiles(root, "*.py", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        var result = new CodeScanner(ModelSet.BuiltIn) { Dependencies = DeclaredDependencies.FromFileSystem() }.Scan(files.Select(f => new SourceInput(f, File.ReadAllBytes(f))).ToArray());
        Assert.Empty(result.Errors);

        var reported = result.Findings
            .GroupBy(f => (f.Location.Path, f.Location.Line))
            .ToDictionary(g => g.Key, g => g.Select(Tag).ToHashSet(StringComparer.Ordinal));
        var problems = new List<string>();
        var checkedLines = 0;
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = i + 1;
                var actual = reported.GetValueOrDefault((file, line)) ?? [];
                var where = $"{Path.GetRelativePath(FixturePaths.CodeRoot, file)}:{line}";
                if (Expectations.Parse(lines[i]) is not { } expectations)
                {
                    if (actual.Count > 0)
                    {
                        problems.Add($"{where}: unexpected {string.Join(' ', actual.Order())} (line has no expectation)");
                    }
                    continue;
                }
                checkedLines++;
                var wanted = expectations.Expected.Union(expectations.Spurious).ToHashSet(StringComparer.Ordinal);
                foreach (var tag in wanted.Except(actual).Order())
                {
                    problems.Add($"{where}: expected {tag}, reported [{string.Join(' ', actual.Order())}]");
                }
                foreach (var tag in actual.Except(wanted).Order())
                {
                    problems.Add(expectations.Missing.Contains(tag)
                        ? $"{where}: {tag} is now reported; remove its MISSING marker"
                        : $"{where}: unexpected {tag}");
                }
            }
        }
        Assert.True(checkedLines > 0, "no expectations found");
        Assert.True(problems.Count == 0, $"{problems.Count} fixture mismatch(es):\n" + string.Join('\n', problems));
    }

    private static string Tag(Finding finding) => $"{finding.RuleCode}={finding.Severity.ToName()}";
}
