using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Tests.Semantic;

/// <summary>A footprint's name collections are exact arrays while small and sets past eight names: either way each name once, in first-seen order.</summary>
public sealed class CodeFootprintTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void NamesAreHeldOnceInTheOrderFirstSeen(int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"n{(i * 7) % count}").ToArray();
        // Each name mutated twice (append, then an item set), and handed on as a parameter twice.
        var body = string.Join("\n", names.Select(n => $"    {n}.append(1)\n    {n}[0] = 1\n    g({n}, 1)\n    g({n}, 2)"));
        var module = ModuleModel.Build(PythonParser.Parse($"def f({string.Join(", ", names)}):\n{body}\n", "m.py"), "m", false);
        var footprint = module.Functions.Values.Single().Footprint;

        Assert.Equal(names, footprint.MutatedNames);
        Assert.Equal(names, footprint.QueuedNames);
        Assert.Equal(names, footprint.CalledParameters);
        Assert.All(names, name => Assert.Contains(name, footprint.MutatedNames));
        Assert.DoesNotContain("g", footprint.MutatedNames);
        Assert.Empty(footprint.RelayedParameters);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void AttributesAreHeldOnceInTheOrderFirstSeen(int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"a{(i * 7) % count}").ToArray();
        // Each attribute read twice on the receiver, stored twice on it and twice on another object.
        var body = string.Join("\n", names.Select(n => $"        x = self.{n}\n        x = self.{n}\n        self.{n} = 1\n        self.{n} = 2\n        o.{n} = 1\n        o.{n} = 2"));
        var module = ModuleModel.Build(PythonParser.Parse($"class C:\n    def m(self, o):\n{body}\n", "m.py"), "m", false);
        var footprint = module.Functions.Values.Single().Footprint;

        Assert.Equal(names, footprint.ReceiverReads);
        Assert.Equal(names, footprint.ReceiverWrites);
        Assert.Equal(names, footprint.OtherWrites);
        Assert.Equal(["o"], footprint.MutatedNames);
    }
}
