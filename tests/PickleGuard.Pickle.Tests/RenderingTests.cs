using PickleGuard.Core;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>Disassembler, decompiler, sniffer and rule documentation.</summary>
public sealed class RenderingTests
{
    private static readonly byte[] OsSystem = Seq(Proto(4), Sbu("os"), Sbu("system"), StackGlobal, Sbu("id"), Tuple1, Reduce, Stop);

    [Fact]
    public void Disassembly_lists_every_opcode_with_offset_and_argument()
    {
        var lines = PickleDisassembler.Disassemble(new MemoryStream(OsSystem)).ToList();
        Assert.Equal(["PROTO", "SHORT_BINUNICODE", "SHORT_BINUNICODE", "STACK_GLOBAL", "SHORT_BINUNICODE", "TUPLE1", "REDUCE", "STOP"], lines.Select(l => l.Name));
        Assert.Equal([0L, 2, 6, 14, 15, 19, 20, 21], lines.Select(l => l.Offset));
        Assert.Equal("'system'", lines[2].Argument);
    }

    [Fact]
    public void Disassembly_marks_findings_and_ends_with_the_error()
    {
        var broken = Seq(OsSystem[..^1], [0xff]);
        var findings = Scan.Bytes(broken).Findings;
        var text = PickleDisassembler.ToText(new MemoryStream(broken), findings);
        Assert.Contains("!! PG201 high", text, StringComparison.Ordinal);
        Assert.Contains("21: error: invalid load key", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompiler_shows_the_call_and_marks_the_finding()
    {
        var text = PickleDecompiler.Decompile(new MemoryStream(OsSystem), Scan.Policy("plain"), new Location("x.pkl"));
        Assert.Contains("import os", text, StringComparison.Ordinal);
        Assert.Contains("_var0 = os.system('id')  # offset 20", text, StringComparison.Ordinal);
        Assert.Contains("# !! PG201 high", text, StringComparison.Ordinal);
        Assert.Contains("result = _var0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Value_tree_of_plain_data_is_available_for_conversion()
    {
        var pickle = Seq(Proto(4), EmptyDict, Sbu("a"), Mark, BinInt1(1), [(byte)'G', 0x3f, 0xf8, 0, 0, 0, 0, 0, 0], None, MarkTuple, SetItem, Stop);
        var run = new PickleScanner(Scan.Policy("plain"), PickleLimits.Default).Execute(new MemoryStream(pickle), recordEvents: true);
        var dict = Assert.Single(run.Results).AsContainer!;
        Assert.Equal(Machine.PickleValueKind.Dict, dict.Kind);
        Assert.Equal("a", dict.Items[0].AsString);
        var tuple = dict.Items[1].AsContainer!;
        Assert.Equal(["1", "1.5", "None"], tuple.Items.Select(v => v.ToString()));
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 2, (byte)']' }, true)]
    [InlineData(new byte[] { 0x80, 5, 0x95 }, true)]
    [InlineData(new byte[] { 0x80, 9, 0x95 }, false)]
    [InlineData(new byte[] { (byte)'(', (byte)'d', (byte)'p' }, true)]
    [InlineData(new byte[] { (byte)'c', (byte)'o', (byte)'s', (byte)'\n' }, true)]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4 }, false)]
    [InlineData(new byte[] { (byte)'{', (byte)'"' }, false)]
    [InlineData(new byte[] { (byte)'#', (byte)' ' }, false)]
    public void Sniffer_recognises_pickle_headers(byte[] head, bool expected) =>
        Assert.Equal(expected, PickleSniffer.LooksLikePickle(head));

    [Fact]
    public void Rules_are_documented_with_unique_codes_in_range()
    {
        var rules = PickleRules.All;
        Assert.Equal(rules.Count, rules.Select(r => r.Code).Distinct().Count());
        Assert.All(rules, r =>
        {
            Assert.Matches("^PG2(0[0-9]|1[0-9])$", r.Code);
            Assert.False(string.IsNullOrWhiteSpace(r.WhatItDoes));
            Assert.False(string.IsNullOrWhiteSpace(r.WhyItMatters));
            Assert.False(string.IsNullOrWhiteSpace(r.Example));
            Assert.False(string.IsNullOrWhiteSpace(r.UseInstead));
            Assert.NotEmpty(r.References);
        });
    }

    [Fact]
    public void Every_emitted_rule_code_is_documented()
    {
        var documented = PickleRules.All.Select(r => r.Code).ToHashSet();
        foreach (var file in Directory.GetFiles(FixturePaths.PickleFixtures, "*.pkl", SearchOption.AllDirectories))
        {
            foreach (var finding in Scan.File(file, "plain").Findings)
            {
                Assert.Contains(finding.RuleCode, documented);
            }
        }
    }
}
