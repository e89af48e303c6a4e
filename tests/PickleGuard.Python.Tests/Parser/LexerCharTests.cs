using Xunit;

namespace PickleGuard.Python.Tests.Parser;

/// <summary>The lexer's fast paths for names, spaces and indentation against the language's definition.</summary>
public sealed class LexerCharTests
{
    [Fact]
    public void AnAsciiCharContinuesANameExactlyWhenItIsALetterADigitOrUnderscore()
    {
        for (char c = (char)1; c < (char)0x80; c++)
        {
            ParseResult result = Parse.Text($"a{c}b\n");

            bool oneName = result.Module.Body is [ExprStmt { Value: NameExpr name }] && name.Id == $"a{c}b";
            Assert.True(oneName == (char.IsAsciiLetterOrDigit(c) || c == '_'), $"U+{(int)c:X4}");
        }
    }

    [Theory]
    [InlineData("    ")]
    [InlineData("\t")]
    [InlineData("  \t")]
    [InlineData("\f    ")]
    [InlineData("                                        ")]
    public void ABodyIndentedBySpacesTabsOrAFormFeedIsOneBlock(string indent)
    {
        ParseResult result = Parse.Text($"if x:\n{indent}a = 1\n{indent}b = 2\nc = 3\n");

        Assert.Empty(Parse.Errors(result));
        Assert.True(result.Module.Body is [IfStmt { Body.Count: 2 }, AssignStmt], Parse.Dump(result.Source.Text));
    }

    [Theory]
    [InlineData("x = 1 +\t\f 2\n")]
    [InlineData("x = 1 +\0 2\n")]
    public void SpacesTabsFormFeedsAndNulsBetweenTokensSeparateThem(string source)
    {
        ParseResult result = Parse.Text(source);

        Assert.True(result.Module.Body is [AssignStmt { Value: BinOpExpr }], Parse.Dump(source));
    }

    [Theory]
    [InlineData("x = 1 $ 2\n", "invalid character '$' (U+0024)")]
    [InlineData("x = 1 \u0001 2\n", "invalid non-printable character U+0001")]
    [InlineData("x = 1 \U0001F600 2\n", "invalid character '\U0001F600' (U+1F600)")]
    public void ACharThatStartsNoTokenIsReportedWithItsCodePoint(string source, string message)
    {
        ParseResult result = Parse.Text(source);

        Assert.Contains(Parse.Errors(result), error => error.Message == message);
    }
}
