using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class ContainerRulesTests
{
    [Fact]
    public void CodesAreUniqueAndInTheContainerRange()
    {
        var codes = ContainerRules.All.Select(r => r.Code).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.InRange(int.Parse(c[2..], System.Globalization.CultureInfo.InvariantCulture), 220, 239));
        Assert.Equal("unscannable-content", ContainerRules.Find("PG220")!.Slug);
        Assert.Null(ContainerRules.Find("PG200"));
    }

    [Fact]
    public void EveryRuleHasFullHelpText()
    {
        Assert.All(ContainerRules.All, r =>
        {
            Assert.Matches("^[a-z]+(-[a-z0-9]+)*$", r.Slug);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.True(r.WhatItDoes.Length > 40, r.Code);
            Assert.True(r.WhyItMatters.Length > 40, r.Code);
            Assert.StartsWith("```", r.Example, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(r.UseInstead));
            Assert.NotEmpty(r.References);
        });
    }
}
