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

    [Theory]
    [InlineData("'", "", "")]
    [InlineData("r'", "a\\nb ", "a\\nb ")]
    [InlineData("'", "a\\nb ", "a\nb ")]
    [InlineData("'''", "one\r\ntwo ", "one\ntwo ")]
    [InlineData("u'", "x ", "x ")]
    public void ALongLiteralReadsAsItsValue(string opening, string piece, string decodedPiece)
    {
        // Past 64 chars, a body that is its own text stays a slice of the source until read: its value must still be
        // the decoded one, and one with an escape or a line break to normalize must not be taken as its own text.
        const string Filler = "abcdefghij";
        var body = string.Concat(Enumerable.Repeat(piece + Filler, 8));
        var constant = Constant(opening + body + opening.TrimStart('r', 'u'));

        Assert.Equal(ConstantType.Str, constant.Value.Type);
        Assert.Equal(string.Concat(Enumerable.Repeat(decodedPiece + Filler, 8)), constant.Value.AsString);
        Assert.Same(constant.Value.AsString, constant.Value.AsString);
        Assert.Equal(opening.StartsWith('u') ? "u" : null, constant.Kind);
    }

    [Fact]
    public void EachConstantTypeComesFromItsValue()
    {
        var result = Parse.Text("x = [None, True, False, ..., 1, 1.5, 2j, 's', b'b']\n");

        var elements = ((ListExpr)((AssignStmt)result.Module.Body[0]).Value).Elts;
        Assert.Equal(
            [ConstantType.None, ConstantType.True, ConstantType.False, ConstantType.Ellipsis, ConstantType.Int, ConstantType.Float,
                ConstantType.Complex, ConstantType.Str, ConstantType.Bytes],
            elements.Select(e => ((ConstantExpr)e).Value.Type));
        Assert.Equal(ConstantType.None, default(ConstantValue).Type);
    }

    private static ConstantExpr Constant(string literal)
    {
        var result = Parse.Text($"x = {literal}\n");
        Assert.Empty(Parse.Errors(result));
        return Assert.IsType<ConstantExpr>(((AssignStmt)result.Module.Body[0]).Value);
    }
}
