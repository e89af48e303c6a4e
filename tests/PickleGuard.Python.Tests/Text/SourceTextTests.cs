using System.Text;

namespace PickleGuard.Python.Tests.Text;

public class SourceTextTests
{
    [Fact]
    public void StripsUtf8ByteOrderMark()
    {
        SourceText source = SourceText.From([0xEF, 0xBB, 0xBF, .. "x = 1\n"u8], "bom.py");

        Assert.Equal("x = 1\n", source.Text);
        Assert.Empty(source.DecodeDiagnostics);
    }

    [Fact]
    public void HonoursLatin1CodingCookie()
    {
        SourceText source = SourceText.From([.. "# -*- coding: latin-1 -*-\nx = '"u8, 0xE9, .. "'\n"u8], "latin1.py");

        Assert.Equal("# -*- coding: latin-1 -*-\nx = '\u00e9'\n", source.Text);
        Assert.Empty(source.DecodeDiagnostics);
    }

    [Fact]
    public void CookieOnSecondLineAfterShebang()
    {
        SourceText source = SourceText.From([.. "#!/usr/bin/python\n# vim: set fileencoding=koi8-r :\nx = '"u8, 0xC1, .. "'\n"u8], "koi8.py");

        Assert.Empty(source.DecodeDiagnostics);
        Assert.Contains("x = '\u0430'", source.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void CookieAfterCodeIsIgnored()
    {
        SourceText source = SourceText.From("x = 1\n# coding: latin-1\ny = '\u00e9'\n"u8.ToArray(), "late.py");

        Assert.Empty(source.DecodeDiagnostics);
        Assert.Contains("\u00e9", source.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownEncodingIsADiagnostic()
    {
        SourceText source = SourceText.From("# coding: no-such-codec\nx = 1\n"u8.ToArray(), "unknown.py");

        SyntaxDiagnostic diagnostic = Assert.Single(source.DecodeDiagnostics);
        Assert.Equal("unknown encoding: no-such-codec", diagnostic.Message);
    }

    [Fact]
    public void BomWithNonUtf8CookieIsRejectedLikeCPython()
    {
        SourceText source = SourceText.From([0xEF, 0xBB, 0xBF, .. "# coding: latin-1\nx = 1\n"u8], "bom.py");

        Assert.Contains("with BOM", Assert.Single(source.DecodeDiagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8BecomesReplacementCharacterAndDiagnostic()
    {
        SourceText source = SourceText.From([.. "x = '"u8, 0xFF, .. "'\ny = 2\n"u8], "bad.py");
        ParseResult result = PythonParser.Parse(source);

        SyntaxDiagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("can't decode byte 0xff in position 5", diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal(5, diagnostic.Span.Start);
        Assert.Equal(2, result.Module.Body.Count);
    }

    [Fact]
    public void LinePositionsCountCrLfAndCrAsOneBreakAndColumnsInUtf8()
    {
        SourceText source = SourceText.FromString("a\r\nb\rc\n\u00e9\U0001F600x");

        Assert.Equal(new LinePosition(1, 0, 0), source.GetLinePosition(0));
        Assert.Equal(new LinePosition(2, 0, 0), source.GetLinePosition(3));
        Assert.Equal(new LinePosition(3, 0, 0), source.GetLinePosition(5));
        Assert.Equal(new LinePosition(4, 3, 6), source.GetLinePosition(10));
        Assert.Equal("b", source.GetLineText(2));
        Assert.Equal("\u00e9\U0001F600x", source.GetLineText(4));
        Assert.Equal(string.Empty, source.GetLineText(99));
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("abc", 1)]
    [InlineData("a\r", 2)]
    [InlineData("a\r\n", 2)]
    [InlineData("\n\n", 3)]
    [InlineData("\r\r\n\n\r", 5)]
    public void LineCountsAtTheEdgesOfTheText(string text, int lines)
    {
        SourceText source = SourceText.FromString(text);

        Assert.Equal(lines, source.LineCount);
        Assert.Equal(string.Empty, source.GetLineText(lines + 1));
    }

    [Fact]
    public void LinePositionsAfterLongLinesAndABreakAtTheEnd()
    {
        string longLine = new('x', 70); // longer than a vector: the break search skips whole blocks
        SourceText source = SourceText.FromString(longLine + "\n" + longLine + "\r\n\r\n" + longLine + "\r");

        Assert.Equal(new LinePosition(1, 69, 69), source.GetLinePosition(69));
        Assert.Equal(new LinePosition(2, 0, 0), source.GetLinePosition(71));
        Assert.Equal(new LinePosition(3, 0, 0), source.GetLinePosition(143));
        Assert.Equal(new LinePosition(4, 0, 0), source.GetLinePosition(145));
        Assert.Equal(new LinePosition(5, 0, 0), source.GetLinePosition(216));
        Assert.Equal(longLine, source.GetLineText(4));
        Assert.Equal(string.Empty, source.GetLineText(5));
        Assert.Equal(new LinePosition(1, 3, 3), SourceText.FromString("abc").GetLinePosition(3));
    }

    [Fact]
    public void NeverThrowsOnArbitraryBytes()
    {
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            byte[] bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            ParseResult result = PythonParser.Parse(SourceText.From(bytes, "random.py"));
            Assert.NotNull(result.Module);
            Assert.False(string.IsNullOrEmpty(AstDump.Format(result)));
        }
    }

    [Fact]
    public void DecodeDiagnosticsAreIncludedInParseDiagnostics()
    {
        ParseResult result = PythonParser.Parse(SourceText.From(Encoding.UTF8.GetBytes("# coding: bogus\nx = 1\n"), "b.py"));

        Assert.Contains(result.Diagnostics, d => d.Message == "unknown encoding: bogus");
    }
}
