using System.Text;
using PickleGuard.Analysis.Resolution;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>
/// A name-resolution query that runs past <see cref="ValueResolver.MaxWorkPerQuery"/> is answered "unknown"; the
/// scan says so in a note on the file where it happened, so a missing finding there is not mistaken for a clean file.
/// </summary>
public sealed class ResolutionBudgetTests
{
    private static CodeScanResult Scan(params (string Path, string Code)[] files) =>
        new CodeScanner(ModelSet.BuiltIn).Scan([.. files.Select(f => new SourceInput(f.Path, Encoding.UTF8.GetBytes(f.Code)))]);

    [Fact]
    public void AQueryOverTheWorkBudgetLeavesANoteOnItsFile()
    {
        // One expression with more operands than a query may resolve.
        var operands = string.Join(" or ", Enumerable.Repeat("pickle.loads", ValueResolver.MaxWorkPerQuery + 5_000));
        var result = Scan(
            ("pkg/slow.py", $"import pickle\n\nloader = {operands}\n\ndef load(data):\n    return loader(data)\n"),
            ("pkg/plain.py", "import pickle\n\ndef load(data):\n    return pickle.loads(data)\n"));
        var note = Assert.Single(result.Errors, e => e.Message.StartsWith("name resolution gave up", StringComparison.Ordinal));
        Assert.Equal("pkg/slow.py", note.Path);
        Assert.Contains($"after {ValueResolver.MaxWorkPerQuery} steps", note.Message, StringComparison.Ordinal);
        // The other file is analysed as usual.
        Assert.Contains(result.Findings, f => f.Location.Path == "pkg/plain.py" && f.RuleCode == "PG101");
    }

    [Fact]
    public void AnOrdinaryScanHasNoResolutionNote()
    {
        var result = Scan(("app.py", "import pickle\nfrom flask import request\n\ndef view():\n    return pickle.loads(request.data)\n"));
        Assert.DoesNotContain(result.Errors, e => e.Message.StartsWith("name resolution gave up", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.RuleCode == "PG101");
    }
}
