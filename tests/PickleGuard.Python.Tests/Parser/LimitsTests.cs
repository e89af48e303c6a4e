using System.Diagnostics;
using System.Text;

namespace PickleGuard.Python.Tests.Parser;

/// <summary>Hostile nesting ends quickly with the specific diagnostic, without a stack overflow.</summary>
public class LimitsTests
{
    private static ParseResult TimedParse(string source)
    {
        var watch = Stopwatch.StartNew();
        ParseResult result = Parse.Text(source);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        return result;
    }

    [Fact]
    public void HundredThousandNestedParentheses()
    {
        ParseResult result = TimedParse(new string('(', 100_000) + new string(')', 100_000) + "\nx = 1\n");

        Assert.Contains(result.Diagnostics, d => d.Message == "too many nested parentheses");
        Assert.IsType<AssignStmt>(result.Module.Body[^1]);
    }

    [Fact]
    public void TwentyThousandNestedBlocks()
    {
        var builder = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            builder.Append(' ', i).Append("if x:\n");
        }

        builder.Append(' ', 20_000).Append("pass\nafter = 1\n");
        ParseResult result = TimedParse(builder.ToString());

        Assert.Contains(result.Diagnostics, d => d.Message == "too many levels of indentation");
        Assert.IsType<AssignStmt>(result.Module.Body[^1]);
        Assert.False(string.IsNullOrEmpty(AstDump.Format(result)));
    }

    [Theory]
    [InlineData("x = ", "a+", 2_000_000, "a")]
    [InlineData("x = ", "-", 2_000_000, "1")]
    [InlineData("x = a", ".b", 500_000, "")]
    [InlineData("x = f", "()", 500_000, "")]
    [InlineData("x = ", "not ", 300_000, "1")]
    [InlineData("x = 1", " if 1 else 1", 100_000, "")]
    [InlineData("x = ", "lambda: ", 100_000, "1")]
    [InlineData("x = ", "[", 100_000, "")]
    [InlineData("x = f'", "{f'", 1_000, "")]
    public void LongChainsAreCutWithADiagnostic(string prefix, string unit, int count, string suffix)
    {
        var builder = new StringBuilder(prefix);
        for (int i = 0; i < count; i++)
        {
            builder.Append(unit);
        }

        builder.Append(suffix).Append("\ndef after():\n    pass\n");
        ParseResult result = TimedParse(builder.ToString());

        Assert.NotEmpty(Parse.Errors(result));
        Assert.Contains(result.Module.Body, s => s is FunctionDefStmt { Name: "after" });
    }

    [Fact]
    public void TenMegabyteLine()
    {
        ParseResult result = TimedParse("x = '" + new string('a', 10_000_000) + "\ny = 2\n");

        Assert.Contains(result.Diagnostics, d => d.Message == "unterminated string literal");
        Assert.Equal(2, result.Module.Body.Count);
    }

    [Fact]
    public void NulBytesAreReportedOnce()
    {
        ParseResult result = Parse.Text("x = 1\0\0\ny = 'a\0b'\n");

        Assert.Single(result.Diagnostics, d => d.Message == "source code cannot contain null bytes");
        Assert.Equal(2, result.Module.Body.Count);
    }

    [Fact]
    public void DiagnosticsAreCapped()
    {
        ParseResult result = Parse.Text(string.Concat(Enumerable.Repeat("$\n", 50_000)));

        Assert.InRange(result.Diagnostics.Count, 1, 1000);
    }
}
