using PickleGuard.Cli.Fixing;
using PickleGuard.Core;

namespace PickleGuard.Cli.Tests.Fixing;

public sealed class UnifiedDiffTests
{
    private static readonly string Twenty = string.Concat(Enumerable.Range(1, 20).Select(i => $"l{i}\n"));

    private static int Offset(string text, string line) => text.IndexOf(line + "\n", StringComparison.Ordinal);

    [Fact]
    public void DistantChangesMakeTwoHunksWithShiftedNewLineNumbers()
    {
        var text = Twenty;
        var edits = new[]
        {
            new TextEdit("f", Offset(text, "l2"), Offset(text, "l2"), "new\n"),
            new TextEdit("f", Offset(text, "l15"), Offset(text, "l15") + 3, "L15"),
        };
        var diff = UnifiedDiff.Create("f.py", text, edits);
        Assert.Equal(
            "--- a/f.py\n+++ b/f.py\n"
            + "@@ -1,4 +1,5 @@\n l1\n+new\n l2\n l3\n l4\n"
            + "@@ -12,7 +13,7 @@\n l12\n l13\n l14\n-l15\n+L15\n l16\n l17\n l18\n",
            diff);
    }

    [Fact]
    public void LastLineWithoutNewlineIsMarked()
    {
        var diff = UnifiedDiff.Create("f.py", "a\nb", [new TextEdit("f", 2, 3, "c")]);
        Assert.Equal("--- a/f.py\n+++ b/f.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n", diff);
    }

    [Fact]
    public void NearbyChangesShareOneHunk()
    {
        var text = Twenty;
        var edits = new[]
        {
            new TextEdit("f", Offset(text, "l5"), Offset(text, "l5") + 2, "L5"),
            new TextEdit("f", Offset(text, "l11"), Offset(text, "l11") + 3, "L11"),
        };
        var diff = UnifiedDiff.Create("f.py", text, edits);
        Assert.Single(diff.Split('\n'), l => l.StartsWith("@@", StringComparison.Ordinal));
        Assert.Contains("@@ -2,13 +2,13 @@\n", diff, StringComparison.Ordinal);
    }
}
