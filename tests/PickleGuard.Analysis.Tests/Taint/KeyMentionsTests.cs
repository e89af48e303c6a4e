using PickleGuard.Analysis.Semantic;
using PickleGuard.Analysis.Taint;
using PickleGuard.Python;
using Xunit;

namespace PickleGuard.Analysis.Tests.Taint;

/// <summary>
/// KeyMentions: which modules' texts hold a name, and whether one holds it as a whole string literal — what the held-digest
/// search asks of every module, found once per name.
/// </summary>
public sealed class KeyMentionsTests
{
    private static ModuleModel Build(string name, string source) => ModuleModel.Build(PythonParser.Parse(source, name + ".py"), name, isPackage: false);

    [Fact]
    public void ModulesWhoseTextHoldsTheNameAreListedInProjectOrder()
    {
        var modules = new[]
        {
            Build("a", "def f(hash_func=None):\n    return hash_func\n"),
            Build("b", "x = 1\n"),
            Build("c", "# hash_func is set below\ny = 2\n"),
            Build("d", "g(hash_func=h, key=\"hash_func_x\")\n"),
        };

        var mentions = KeyMentions.Of(modules, "hash_func");

        Assert.False(mentions.Quoted); // "hash_func_x" is another literal
        Assert.Equal(["a", "c", "d"], mentions.Modules.Select(m => m.Name));
    }

    [Theory]
    [InlineData("d = {\"hash_func\": f}\n")]
    [InlineData("d['hash_func'] = f\n")]
    public void ANameWrittenAsAWholeStringLiteralIsQuoted(string source)
    {
        var modules = new[] { Build("a", "def f(hash_func=None):\n    pass\n"), Build("b", source) };

        var mentions = KeyMentions.Of(modules, "hash_func");

        Assert.True(mentions.Quoted);
        Assert.Empty(mentions.Modules);
    }

    [Fact]
    public void ANameNoModuleHoldsIsNeitherQuotedNorMentioned()
    {
        var mentions = KeyMentions.Of([Build("a", "x = 'other'\n")], "hash_func");

        Assert.False(mentions.Quoted);
        Assert.Empty(mentions.Modules);
    }
}
