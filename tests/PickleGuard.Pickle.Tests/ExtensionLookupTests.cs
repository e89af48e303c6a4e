using PickleGuard.Core;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// EXT1/EXT2/EXT4 name a global through copyreg's extension registry, which only the loading program fills: calling
/// what they push is unresolvable (high); a lookup nothing calls imports at worst a global the program registered.
/// </summary>
public class ExtensionLookupTests
{
    private static readonly byte[] Ext1Code1 = [0x82, 0x01];
    private static readonly byte[] Ext4Code14 = [0x84, 0x0e, 0x00, 0x00, 0x00];

    private static Finding Unresolvable(PickleScanResult result) =>
        Assert.Single(result.Findings, f => f.RuleCode == PickleRules.UnresolvableGlobal);

    [Fact]
    public void A_called_extension_global_is_high()
    {
        var called = Unresolvable(Scan.Bytes(Seq(Proto(2), Ext1Code1, EmptyTuple, Reduce, Stop)));
        Assert.Equal(Severity.High, called.Severity);
        Assert.DoesNotContain("nothing calls it", called.Message);
    }

    [Fact]
    public void Setting_state_on_an_extension_global_is_a_high_mutation()
    {
        var result = Scan.Bytes(Seq(Proto(2), Ext1Code1, EmptyDict, Build, Stop));
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.GlobalMutation && f.Severity == Severity.High);
    }

    [Fact]
    public void An_uncalled_extension_global_is_medium()
    {
        var returned = Unresolvable(Scan.Bytes(Seq(Proto(2), Ext1Code1, Stop)));
        Assert.Equal(Severity.Medium, returned.Severity);
        Assert.Contains("nothing calls it", returned.Message);
    }

    [Fact]
    public void A_binary_count_read_as_ext4_is_medium_with_the_broken_stream()
    {
        // A Rust bincode file: a little-endian u64 count (0x0e84 strings) read as EXT4, then a zero byte, no opcode.
        var result = Scan.Bytes(Seq(Ext4Code14, [0x00, 0x00, 0x00], Sbu("query")));
        Assert.Equal(Severity.Medium, Unresolvable(result).Severity);
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.Malformed);
        Assert.DoesNotContain(result.Findings, f => f.Severity == Severity.High);
    }

    [Fact]
    public void A_computed_stack_global_nothing_calls_stays_high()
    {
        var computed = Unresolvable(Scan.Bytes(Seq(Proto(4), Global("builtins", "str"), Sbu("o"), Tuple1, Reduce, Sbu("system"), StackGlobal, Stop)));
        Assert.Equal(Severity.High, computed.Severity);
    }
}
