using PickleGuard.Core;
using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// The scan-mode memo is exact up to <see cref="PickleLimits.MaxExactMemoEntries"/> and conservative past it: nothing can
/// hide behind the budget, benign data past it raises nothing but the budget note, and the stream is always read to its end.
/// </summary>
public sealed class MemoBudgetTests
{
    // A tiny budget: the memo holds one 16 K-entry chunk exactly, then forgets plain data at new indexes.
    private static readonly PickleLimits Tiny = PickleLimits.Default with { MaxExactMemoEntries = 10 };

    /// <summary>Protocol 4 prefix that fills the first memo chunk (16,384 MEMOIZEd ints) so later indexes are past the budget.</summary>
    private static byte[] FillFirstChunk() => Seq(Proto(4), Seq(Enumerable.Repeat(Seq(BinInt1(1), Memoize, Pop), 16_384).ToArray()));

    private static byte[] LongBinGet(int index) => [(byte)'j', .. BitConverter.GetBytes(index)];

    private static byte[] LongBinPut(int index) => [(byte)'r', .. BitConverter.GetBytes(index)];

    private static Finding BudgetNote(PickleScanResult result) =>
        Assert.Single(result.Findings, f => f.RuleCode == PickleRules.ResourceLimit && f.Severity == Severity.Info);

    [Fact]
    public void Stack_global_operands_memoized_past_the_budget_are_still_reported_high()
    {
        // "os" and "system" are memoized at 16,384 and 16,385 (past the budget), fetched back, and imported and called.
        var pickle = Seq(FillFirstChunk(), Sbu("os"), Memoize, Pop, Sbu("system"), Memoize, Pop,
            LongBinGet(16_384), LongBinGet(16_385), StackGlobal, Sbu("id"), Tuple1, Reduce, Stop);

        var exact = Scan.Bytes(pickle);
        Assert.Contains(exact.Findings, f => f.RuleCode == PickleRules.DangerousGlobal && f.Severity == Severity.High);

        var bounded = Scan.Bytes(pickle, limits: Tiny);
        Assert.Contains(bounded.Findings, f => f.RuleCode == PickleRules.UnresolvableGlobal && f.Severity == Severity.High);
        Assert.True(bounded.CompletelyRead);
        Assert.Contains("reached 10 entries", BudgetNote(bounded).Message);
    }

    [Fact]
    public void Globals_and_call_results_past_the_budget_stay_exact()
    {
        // A global memoized past the budget and fetched back is still the same global: calling it is reported by name.
        var pickle = Seq(FillFirstChunk(), Global("os", "system"), LongBinPut(20_000), Pop,
            LongBinGet(20_000), Sbu("id"), Tuple1, Reduce, Stop);
        var result = Scan.Bytes(pickle, limits: Tiny);
        var dangerous = Assert.Single(result.Findings, f => f.RuleCode == PickleRules.DangerousGlobal);
        Assert.Equal(Severity.High, dangerous.Severity);
        Assert.DoesNotContain(result.Findings, f => f.RuleCode is PickleRules.Malformed or PickleRules.ComputedCallable);
        Assert.True(result.CompletelyRead);
    }

    [Fact]
    public void Benign_data_past_the_budget_raises_only_the_budget_note()
    {
        // Containers, strings and ints memoized past the budget and fetched back as targets of APPENDS, SETITEMS, BUILD and
        // as REDUCE arguments of an allowed class: each use needs a kind the memo no longer has.
        var pickle = Seq(FillFirstChunk(),
            EmptyList, Memoize, Pop, EmptyDict, Memoize, Pop, Sbu("x"), Memoize, Pop, Sbu("y"), LongBinPut(16_387), Pop,
            LongBinGet(16_384), Mark, BinInt1(1), BinInt1(2), Appends, Pop,
            LongBinGet(16_385), Mark, LongBinGet(16_386), BinInt1(5), [(byte)'u'], Pop,
            Global("collections", "OrderedDict"), EmptyTuple, Reduce, LongBinGet(16_385), Build, Pop,
            Global("builtins", "set"), LongBinGet(16_384), Tuple1, Reduce, Pop,
            LongBinGet(16_387), Stop);

        var exact = Scan.Bytes(pickle);
        Assert.Empty(exact.Findings.Select(f => f.RuleCode + ": " + f.Message));

        var bounded = Scan.Bytes(pickle, limits: Tiny);
        Assert.True(bounded.CompletelyRead);
        BudgetNote(bounded);
        Assert.DoesNotContain(bounded.Findings, f => f.Severity > Severity.Info);
        Assert.Single(bounded.Findings);
    }

    [Fact]
    public void A_get_of_an_index_never_defined_past_the_budget_is_still_malformed()
    {
        var pickle = Seq(FillFirstChunk(), BinInt1(1), Memoize, Pop, LongBinGet(90_000), Stop);
        var result = Scan.Bytes(pickle, limits: Tiny);
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.Malformed && f.Message.Contains("index 90000"));
    }

    [Theory]
    [InlineData(100_003, false)]
    [InlineData(99_999, false)]
    [InlineData(100_002, true)]
    public void Out_of_order_puts_past_the_budget_are_remembered_as_defined(int fetched, bool defined)
    {
        // Runs are joined out of order (100,004, 100,000, 100,002, then 100,001 between them): every index put is
        // defined, the ones never put are not.
        var puts = new[] { 100_004, 100_000, 100_002, 100_001 }.Select(i => Seq(BinInt1(1), LongBinPut(i), Pop)).ToArray();
        var gets = new[] { 100_000, 100_001, 100_002, 100_004 }.Select(i => Seq(LongBinGet(i), Pop)).ToArray();
        var pickle = Seq(FillFirstChunk(), Seq(puts), Seq(gets), LongBinGet(fetched), Stop);
        var result = Scan.Bytes(pickle, limits: Tiny);
        Assert.Equal(defined, !result.Findings.Any(f => f.RuleCode == PickleRules.Malformed));
        Assert.Equal(defined, result.CompletelyRead);
    }

    [Fact]
    public void Scattered_puts_past_the_run_bound_degrade_to_defined_and_say_so()
    {
        // 70,000 PUTs two indexes apart (70,000 separate runs, more than the run set holds), then a GET of a gap that
        // was never defined and a call of an entry in it: read to the end, the call reported, both notes given.
        var puts = Enumerable.Range(0, 70_000).Select(i => Seq(BinInt1(1), LongBinPut(100_000 + 2 * i), Pop)).ToArray();
        var pickle = Seq(FillFirstChunk(), Seq(puts), LongBinGet(100_001), Pop, LongBinGet(100_003), EmptyTuple, Reduce, Stop);
        var result = Scan.Bytes(pickle, limits: Tiny);
        Assert.True(result.CompletelyRead);
        Assert.DoesNotContain(result.Findings, f => f.RuleCode == PickleRules.Malformed);
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.ComputedCallable && f.Severity == Severity.High);
        Assert.Equal(2, result.Findings.Count(f => f.RuleCode == PickleRules.ResourceLimit && f.Severity == Severity.Info));
    }

    [Fact]
    public void A_get_right_after_reaching_the_budget_before_anything_was_forgotten_is_malformed_not_a_crash()
    {
        var result = Scan.Bytes(Seq(FillFirstChunk(), LongBinGet(50_000), Stop), limits: Tiny);
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.Malformed && f.Message.Contains("index 50000"));
    }

    [Fact]
    public void Past_the_budget_the_memo_entry_limit_no_longer_stops_the_scan()
    {
        var pickle = Seq(FillFirstChunk(), Seq(Enumerable.Repeat(Seq(BinInt1(1), Memoize, Pop), 10_000).ToArray()),
            Global("os", "system"), Stop);
        var stopped = Scan.Bytes(pickle, limits: PickleLimits.Default with { MaxMemoEntries = 20_000 });
        Assert.Contains(stopped.Findings, f => f.RuleCode == PickleRules.ResourceLimit && f.Severity == Severity.Medium);
        Assert.DoesNotContain(stopped.Findings, f => f.RuleCode == PickleRules.DangerousGlobal);

        var bounded = Scan.Bytes(pickle, limits: Tiny with { MaxMemoEntries = 20_000 });
        Assert.True(bounded.CompletelyRead);
        Assert.Contains(bounded.Findings, f => f.RuleCode == PickleRules.DangerousGlobal);
        Assert.DoesNotContain(bounded.Findings, f => f.RuleCode == PickleRules.ResourceLimit && f.Severity == Severity.Medium);
    }

    [Fact]
    public void Conversion_limits_keep_the_memo_exact()
    {
        var pickle = Seq(FillFirstChunk(), Sbu("os"), Memoize, Pop, Sbu("system"), Memoize, Pop,
            LongBinGet(16_384), LongBinGet(16_385), StackGlobal, Stop);
        var result = Scan.Bytes(pickle, limits: Tiny with { KeepWholeValueTree = true });
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.DangerousGlobal);
        Assert.DoesNotContain(result.Findings, f => f.RuleCode == PickleRules.ResourceLimit);
    }
}
