using PickleGuard.Analysis.Taint;
using Xunit;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>TaintOrigin.UnionOf, the attributes a parameter's object was read through after a join: LINQ's Union, in its order.</summary>
public sealed class ReadThroughUnionTests
{
    [Theory]
    [InlineData("get", "get")]
    [InlineData("get", "pop")]
    [InlineData("get,pop", "pop,items,get")]
    [InlineData("a,b,a", "b,c,c")]
    [InlineData("", "x,y")]
    [InlineData("x,y", "")]
    public void TheUnionKeepsFirstOccurrencesInOrder(string first, string second)
    {
        string[] Split(string names) => names.Length == 0 ? [] : names.Split(',');

        var union = TaintOrigin.UnionOf(Split(first), Split(second));

        Assert.Equal(Split(first).Union(Split(second), StringComparer.Ordinal), union);
    }

    [Fact]
    public void EqualNamesThatAreDifferentStringsCountOnce()
    {
        var union = TaintOrigin.UnionOf(["read"], [new string("read".ToCharArray()), "Read"]);

        Assert.Equal(["read", "Read"], union);
    }
}
