using Xunit;

namespace PickleGuard.Python.Tests.Parser;

/// <summary>
/// A lone str literal (no implicit concatenation, no f-string) is decoded straight into its constant; these pin
/// that path to what the general one (and CPython) gives.
/// </summary>
public sealed class SingleStringTests
{
    [Theory]
    [InlineData("'a\\nb'", "a\nb", null)]
    [InlineData("r'a\\nb'", "a\\nb", null)]
    [InlineData("u'x\\u00e9'", "x\u00e9", "u")]
    [InlineData("U'x'", "x", "u")]
    [InlineData("'''one\r\ntwo'''", "one\ntwo", null)]
    [InlineData("''", "", null)]
    [InlineData("'\\N{BULLET}'", "\u2022", null)]
    public void ALoneStrLiteralIsDecoded(string literal, string value, string? kind)
    {
        var constant = Constant(literal);

        Assert.Equal(ConstantType.Str, constant.Value.Type);
        Assert.Equal(value, constant.Value.AsString);
        Assert.Equal(kind, constant.Kind);
        Assert.Equal(new TextSpan(4, literal.Length), constant.Span);
    }

    [Fact]
    public void ALoneBytesLiteralStaysBytes()
    {
        var constant = Constant("b'\\x00a'");

        Assert.Equal(ConstantType.Bytes, constant.Value.Type);
        Assert.Equal(new byte[] { 0, (byte)'a' }, constant.Value.AsBytes);
    }

    [Fact]
    public void AdjacentLiteralsStillConcatenate()
    {
        var constant = Constant("'a' u'b' r'\\c'");

        Assert.Equal("ab\\c", constant.Value.AsString);
        Assert.Null(constant.Kind);
    }

    [Fact]
    public void SmallIntegersShareOneBoxButKeepTheirValue()
    {
        var result = Parse.Text("x = [0, 1, 255, 256, 1000000000000000000000000000000, 1]\n");

        var elements = ((ListExpr)((AssignStmt)result.Module.Body[0]).Value).Elts;
        Assert.Equal(
            ["0", "1", "255", "256", "1000000000000000000000000000000", "1"],
            elements.Select(e => ((ConstantExpr)e).Value.AsInteger.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(elements, e => Assert.Equal(ConstantType.Int, ((ConstantExpr)e).Value.Type));
    }

    private static ConstantExpr Constant(string literal)
    {
        var result = Parse.Text($"x = {literal}\n");
        Assert.Empty(Parse.Errors(result));
        return Assert.IsType<ConstantExpr>(((AssignStmt)result.Module.Body[0]).Value);
    }
}
