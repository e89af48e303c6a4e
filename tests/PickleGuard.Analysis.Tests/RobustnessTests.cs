using System.Text;
using PickleGuard.Models;

namespace PickleGuard.Analysis.Tests;

/// <summary>Pathological inputs must neither crash nor hang the scanner.</summary>
public sealed class RobustnessTests
{
    private static CodeScanResult Scan(string code) =>
        new CodeScanner(ModelSet.BuiltIn).Scan([new SourceInput("deep.py", Encoding.UTF8.GetBytes(code))]);

    [Theory]
    [InlineData(50_000, "x = pickle", ".loads", "\npickle.loads(x)\n")]
    [InlineData(50_000, "x = 1", " + 1", "\npickle.loads(x)\n")]
    [InlineData(5_000, "x = ", "(", "\n")]
    [InlineData(3_000, "", "def f():\n", "")]
    public void DeepOrLongInputsDoNotCrash(int count, string prefix, string repeated, string suffix)
    {
        var code = "import pickle\n" + prefix + string.Concat(Enumerable.Repeat(repeated, count)) + suffix;
        var result = Scan(code);
        Assert.Contains(result.Findings, f => f.RuleCode == "PG100");
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(2_000, false)]
    public void AliasChainsResolveWithinTheDepthLimitAndCyclesTerminate(int length, bool resolved)
    {
        var code = new StringBuilder("import pickle\na0 = pickle.loads\n");
        for (var i = 1; i < length; i++)
        {
            code.Append($"a{i} = a{i - 1}\n");
        }
        code.Append($"a{length - 1}(x)\nc = d\nd = c\nc(x)\n");
        var result = Scan(code.ToString());
        var callLine = length + 2;
        Assert.Equal(resolved, result.Findings.Any(f => f.RuleCode == "PG101" && f.Location.Line == callLine));
        Assert.DoesNotContain(result.Findings, f => f.Location.Line > callLine);
    }
}
