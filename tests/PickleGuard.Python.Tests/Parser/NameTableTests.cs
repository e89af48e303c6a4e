using System.Text;
using Xunit;

namespace PickleGuard.Python.Tests.Parser;

/// <summary>
/// Names go through a small per-thread cache shared by every file parsed on the thread: a slot collision, an
/// earlier file or a long name must never change which name a node gets.
/// </summary>
public sealed class NameTableTests
{
    [Fact]
    public void ManyDistinctNamesKeepTheirSpellingDespiteSlotCollisions()
    {
        // 20,000 names in a cache of 8,192 slots: many collide and evict each other; every use is read twice.
        var source = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            source.Append("n").Append(i).Append(" = m").Append(i).Append('\n');
        }
        for (var i = 0; i < 20_000; i += 7)
        {
            source.Append("n").Append(i).Append('\n');
        }

        var result = Parse.Text(source.ToString());

        var names = Parse.All<NameExpr>(result);
        Assert.Equal(20_000 * 2 + 2_858, names.Count);
        Assert.All(names, name => Assert.Equal(result.Source.Text.Substring(name.Span.Start, name.Span.Length), name.Id));
    }

    [Fact]
    public void AnEarlierFileDoesNotChangeTheNamesOfALaterOne()
    {
        Parse.Text("self = os = a_fairly_long_identifier_name = 1\n");

        var second = Parse.Text("self.os(a_fairly_long_identifier_name)\n");

        var call = Assert.IsType<CallExpr>(Assert.IsType<ExprStmt>(Assert.Single(second.Module.Body)).Value);
        var attribute = Assert.IsType<AttributeExpr>(call.Func);
        Assert.Equal("self", Assert.IsType<NameExpr>(attribute.Value).Id);
        Assert.Equal("os", attribute.Attr);
        Assert.Equal("a_fairly_long_identifier_name", Assert.IsType<NameExpr>(Assert.Single(call.Args)).Id);
    }

    [Fact]
    public void NonAsciiSpellingsAreNormalizedEveryTimeAndAsciiOnesAreNot()
    {
        // U+FB01 (the "fi" ligature) NFKC-normalizes to "fi", as CPython does for identifiers.
        var first = Parse.Text("\uFB01le = 1\n");
        var second = Parse.Text("\uFB01le\nfile\n");

        Assert.Equal("file", Assert.Single(Parse.All<NameExpr>(first)).Id);
        Assert.Equal(["file", "file"], Parse.All<NameExpr>(second).Select(n => n.Id));
    }

    [Fact]
    public void NamesLongerThanTheCacheTakesAreKeptWhole()
    {
        var longName = new string('x', 300) + "_end";

        var result = Parse.Text($"{longName} = {longName}\n");

        Assert.Equal([longName, longName], Parse.All<NameExpr>(result).Select(n => n.Id));
    }
}
