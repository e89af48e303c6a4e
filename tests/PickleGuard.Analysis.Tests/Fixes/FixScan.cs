using System.Text;
using PickleGuard.Analysis.Fixes;
using PickleGuard.Core;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Fixes;

/// <summary>Scans code and applies the fixes its findings carry, the way <c>scan --fix</c> does.</summary>
internal static class FixScan
{
    public static IReadOnlyList<Finding> Findings(string code, string path = "app.py") =>
        new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput(path, Encoding.UTF8.GetBytes(code))]).Findings;

    public static string Apply(string code, IEnumerable<Finding> findings)
    {
        var edits = new EditSet();
        foreach (var fix in findings.Select(f => f.Fix).OfType<Fix>())
        {
            Assert.True(edits.TryAdd(fix.Edits), "fixes of one file must not overlap");
        }
        return edits.ApplyTo(code) ?? throw new InvalidOperationException("edit outside the text");
    }

    /// <summary>The file after one round of fixes.</summary>
    public static string Fixed(string code, string path = "app.py") => Apply(code, Findings(code, path));

    /// <summary>tests/fixtures/fixes, found by walking up from the test binaries.</summary>
    public static string FixtureRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "fixes");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/fixtures/fixes not found above " + AppContext.BaseDirectory);
    }
}
