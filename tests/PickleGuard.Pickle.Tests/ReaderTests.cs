using PickleGuard.Pickle.Machine;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>Argument decoding as CPython's C unpickler does it.</summary>
public sealed class ReaderTests
{
    private static PickleValue Single(byte[] pickle)
    {
        var run = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Execute(new MemoryStream(pickle), recordEvents: true);
        Assert.True(run.CompletelyRead, string.Join("; ", run.Problems.Select(p => p.Message)));
        return Assert.Single(run.Results);
    }

    [Theory]
    [InlineData("I0x10\n", "16")]
    [InlineData("I010\n", "8")]          // C strtol base 0: leading zero is octal
    [InlineData("I-0x1f\n", "-31")]
    [InlineData("I 5\n", "5")]           // strtol skips leading whitespace
    [InlineData("I\n", "0")]             // no digits: strtol stops at the newline, CPython accepts 0
    [InlineData("I1_000\n", "1000")]     // strtol fails, int(s, 0) accepts underscores
    [InlineData("I0o17\n", "15")]        // strtol fails, int(s, 0) accepts 0o
    [InlineData("I99999999999999999999\n", "99999999999999999999")]
    [InlineData("L12L\n", "12")]
    [InlineData("L0x_ffL\n", "255")]
    [InlineData("L-5\n", "-5")]
    public void INT_and_LONG_text_is_parsed_like_CPython(string opcode, string expected) =>
        Assert.Equal(expected, Single(Seq(Ascii(opcode), Stop)).ToString());

    [Theory]
    [InlineData("I01\n", true)]
    [InlineData("I00\n", false)]
    [InlineData("I+1\n", true)]
    public void Two_character_INT_zero_or_one_is_a_bool(string opcode, bool expected)
    {
        var value = Single(Seq(Ascii(opcode), Stop));
        Assert.Equal(PickleValueKind.Bool, value.Kind);
        Assert.Equal(expected, value.AsBool);
    }

    [Theory]
    [InlineData("I0x\n")]
    [InlineData("I1__0\n")]
    [InlineData("Iabc\n")]
    [InlineData("L010L\n")]              // int('010', 0) is an error in Python 3
    public void Invalid_numbers_break_the_stream(string opcode) =>
        Assert.Contains(PickleRules.Malformed, Scan.Bytes(Seq(Ascii(opcode), Stop)).Rules());

    [Fact]
    public void LONG1_is_little_endian_twos_complement()
    {
        Assert.Equal("-1", Single(Seq([0x80, 2, 0x8a, 1, 0xff], Stop)).ToString());
        Assert.Equal("255", Single(Seq([0x80, 2, 0x8a, 2, 0xff, 0x00], Stop)).ToString());
        Assert.Equal("18446744073709551616", Single(Seq([0x80, 2, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1], Stop)).ToString());
    }

    [Fact]
    public void STRING_escapes_and_UNICODE_raw_escapes_are_decoded()
    {
        var tuple = Single(Seq(Mark, Ascii("S'a\\x41\\n\\'q'\n"), Ascii("V\\u00e9x\n"), MarkTuple, Stop)).AsContainer!;
        Assert.Equal("aA\n'q", tuple.Items[0].AsString);
        Assert.Equal("éx", tuple.Items[1].AsString);
    }

    [Fact]
    public void Unquoted_STRING_is_malformed() =>
        Assert.Contains(PickleRules.Malformed, Scan.Bytes(Seq(Ascii("Sabc\n"), Stop)).Rules());

    [Fact]
    public void Negative_BINSTRING_length_is_malformed() =>
        Assert.Contains(PickleRules.Malformed, Scan.Bytes(Seq([(byte)'T', 0xff, 0xff, 0xff, 0xff], Stop)).Rules());

    [Fact]
    public void Unknown_opcode_is_reported_with_its_offset()
    {
        var finding = Assert.Single(Scan.Bytes(Seq(Proto(4), None, [0xff])).Findings);
        Assert.Equal(PickleRules.Malformed, finding.RuleCode);
        Assert.Equal(3, finding.Location.ByteOffset);
    }

    [Fact]
    public void Protocol_above_5_is_malformed() =>
        Assert.Contains(PickleRules.Malformed, Scan.Bytes(Seq(Proto(6), None, Stop)).Rules());

    [Fact]
    public void POP_removes_a_mark_on_top_of_the_stack_like_CPython() =>
        Assert.Equal("1", Single(Seq(BinInt1(1), Mark, Pop, Stop)).ToString());

    [Fact]
    public void Popping_below_a_mark_is_a_stack_underflow() =>
        Assert.Contains(PickleRules.Malformed, Scan.Bytes(Seq(EmptyList, Mark, BinInt1(2), [(byte)'a'], Stop)).Rules());

    [Fact]
    public void MEMOIZE_uses_the_number_of_entries_as_index()
    {
        // PUT 1 then MEMOIZE writes index 1 again (memo length is 1), so GET 0 is missing: CPython fails too.
        Assert.Contains(PickleRules.Malformed, Scan.Bytes(Seq(Proto(4), BinInt1(7), BinPut(1), Memoize, BinGet(0), Stop)).Rules());
        Assert.Equal("7", Single(Seq(Proto(4), BinInt1(7), Memoize, Pop, BinGet(0), Stop)).ToString());
    }

    [Fact]
    public void Shared_containers_come_back_from_the_memo_whole_when_the_value_tree_is_kept()
    {
        // [d, d] where d = {'k': 1} is written once and fetched again with BINGET.
        var pickle = Seq(Proto(4), EmptyList, Mark, EmptyDict, BinPut(0), Sbu("k"), BinInt1(1), SetItem, BinGet(0), Appends, Stop);
        var scanMode = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Execute(new MemoryStream(pickle));
        Assert.True(Assert.Single(scanMode.Results).AsContainer!.Items[1].IsElided);

        var whole = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default with { KeepWholeValueTree = true }).Execute(new MemoryStream(pickle));
        var list = Assert.Single(whole.Results).AsContainer!;
        Assert.Same(list.Items[0].AsContainer, list.Items[1].AsContainer);
        Assert.Equal("k", list.Items[1].AsContainer!.Items[0].AsString);
    }
}
