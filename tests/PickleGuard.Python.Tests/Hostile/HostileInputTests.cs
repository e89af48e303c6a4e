using PickleGuard.Python.Tests.Oracle;

namespace PickleGuard.Python.Tests.Hostile;

/// <summary>
/// The parser must survive hostile input: finish in bounded time, never throw, never overflow the
/// stack, build a tree and report at least one diagnostic. The parse runs on its own thread so a
/// hang fails the test instead of blocking the run.
/// </summary>
[Collection(HeavyTestsCollection.Name)]
public sealed class HostileInputTests
{
    // A hang never ends; the largest input (200 MB of nested blocks) takes ~3 s in a Debug build, and took over 10 s on
    // this shared 2-core machine while other builds ran: the bound leaves room for that.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // The dump of a 10 MB input would be a string of hundreds of MB: dump only the smaller inputs.
    private const int DumpLimitBytes = 1024 * 1024;

    public static TheoryData<string> Inputs() => new(HostileInputs.Names);

    [Theory]
    [MemberData(nameof(Inputs))]
    public void FinishesWithADiagnosticAndNoCrash(string input)
    {
        var bytes = HostileInputs.Build(input);
        ParsedFile? parsed = null;
        // A normal-size stack (not a big one): the parser must not recurse without bound.
        var withDump = bytes.Length <= DumpLimitBytes;
        var thread = new Thread(() => parsed = ParserUnderTest.Parse(bytes, input + ".py", withDump))
        {
            IsBackground = true,
            Name = $"hostile parse {input}",
        };
        thread.Start();
        Assert.True(thread.Join(Bound), $"{input} ({bytes.Length:N0} bytes): parse{(withDump ? " + dump" : "")} did not finish within {Bound.TotalSeconds} s");

        Assert.NotNull(parsed);
        Assert.True(parsed.Crash is null, $"{input}: the parser threw: {parsed.Crash}");
        Assert.True(parsed.HasTree, $"{input}: no tree");
        Assert.True(parsed.OtherDiagnosticCount + parsed.Python2DiagnosticCount > 0, $"{input}: no diagnostic");
        Assert.True(!withDump || parsed.Dump is { Length: > 0 }, $"{input}: no dump");
    }

    [Fact]
    public void InputsAreAsLargeAsAdvertised()
    {
        Assert.Equal(2 * HostileInputs.NestedParentheses + 2, HostileInputs.Build("nested-parentheses").Length);
        var blocks = HostileInputs.Build("nested-blocks");
        Assert.Equal(HostileInputs.NestedBlocks, blocks.AsSpan().Count("if x:\n"u8));
        Assert.EndsWith(new string(' ', HostileInputs.NestedBlocks) + "pass\n", System.Text.Encoding.ASCII.GetString(blocks, blocks.Length - 30_000, 30_000), StringComparison.Ordinal);
        var line = HostileInputs.Build("long-line-operator-chain");
        Assert.InRange(line.Length, HostileInputs.LongLineBytes - 4, HostileInputs.LongLineBytes);
        Assert.Equal(1, line.AsSpan().Count((byte)'\n'));
        Assert.Equal(HostileInputs.Build("random-bytes-seed-1"), HostileInputs.Build("random-bytes-seed-1"));
        Assert.NotEqual(HostileInputs.Build("random-bytes-seed-1"), HostileInputs.Build("random-bytes-seed-2"));
    }
}
