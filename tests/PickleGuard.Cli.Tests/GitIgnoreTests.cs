using PickleGuard.Cli.Discovery;

namespace PickleGuard.Cli.Tests;

public class GitIgnoreTests
{
    [Theory]
    [InlineData("*.py", "a.py", true)]
    [InlineData("*.py", "a.pyc", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("[abc]x", "bx", true)]
    [InlineData("[!abc]x", "bx", false)]
    [InlineData("[!abc]x", "dx", true)]
    [InlineData("[a-f]1", "e1", true)]
    [InlineData("[a-f]1", "g1", false)]
    [InlineData("\\*x", "*x", true)]
    [InlineData("\\*x", "ax", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("[ab", "[ab", true)]
    public void SegmentWildcards(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GlobPattern.MatchSegment(pattern, name));

    [Theory]
    [InlineData("**/foo", "foo", true)]
    [InlineData("**/foo", "a/b/foo", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/x/y/c", false)]
    [InlineData("abc/**", "abc/x/y", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("doc/*.txt", "doc/x.txt", true)]
    [InlineData("doc/*.txt", "doc/sub/x.txt", false)]
    public void PathGlobs(string pattern, string path, bool expected) =>
        Assert.Equal(expected, new GlobPattern(pattern).Matches(path));

    [Fact]
    public void RuleParsing()
    {
        Assert.Null(GitIgnoreRule.Parse("# comment"));
        Assert.Null(GitIgnoreRule.Parse("   "));
        var negated = GitIgnoreRule.Parse("!keep.py")!;
        Assert.True(negated.Negated);
        Assert.False(negated.Anchored);
        var literalBang = GitIgnoreRule.Parse("\\!bang")!;
        Assert.False(literalBang.Negated);
        Assert.True(literalBang.Matches("!bang", false));
        var hash = GitIgnoreRule.Parse("\\#file")!;
        Assert.True(hash.Matches("#file", false));
        var dirOnly = GitIgnoreRule.Parse("logs/")!;
        Assert.True(dirOnly.DirectoryOnly);
        Assert.False(dirOnly.Anchored);
        Assert.True(dirOnly.Matches("a/logs", true));
        Assert.False(dirOnly.Matches("a/logs", false));
        var anchored = GitIgnoreRule.Parse("/top.py")!;
        Assert.True(anchored.Anchored);
        Assert.True(anchored.Matches("top.py", false));
        Assert.False(anchored.Matches("sub/top.py", false));
        var middle = GitIgnoreRule.Parse("doc/frotz")!;
        Assert.True(middle.Anchored);
        Assert.False(middle.Matches("a/doc/frotz", true));
        var trailingSpace = GitIgnoreRule.Parse("name.py   ")!;
        Assert.True(trailingSpace.Matches("name.py", false));
        var escapedSpace = GitIgnoreRule.Parse("name\\ ")!;
        Assert.True(escapedSpace.Matches("name ", false));
    }

    [Fact]
    public void LastMatchingLineWins()
    {
        var file = GitIgnoreFile.Parse("/repo", "*.py\n!keep.py\n");
        Assert.True(file.Verdict("/repo/a.py", false));
        Assert.False(file.Verdict("/repo/keep.py", false));
        Assert.Null(file.Verdict("/repo/a.txt", false));
        Assert.Null(file.Verdict("/elsewhere/a.py", false));
    }
}
