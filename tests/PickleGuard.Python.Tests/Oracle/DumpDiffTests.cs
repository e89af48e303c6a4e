namespace PickleGuard.Python.Tests.Oracle;

/// <summary>DumpDiff finds the first difference and names the innermost node and field.</summary>
public sealed class DumpDiffTests
{
    private const string Expected =
        "Module(body=[Assign(targets=[Name(id=\"x\", ctx=Store())@1:0-1:1], value=Constant(value=str:\"hi\", kind=None)@1:4-1:8, type_comment=None)@1:0-1:8], type_ignores=[])";

    [Fact]
    public void EqualDumpsHaveNoDiff() => Assert.Null(DumpDiff.Compare(Expected, Expected));

    [Fact]
    public void ValueDifferenceNamesTheField()
    {
        var diff = DumpDiff.Compare(Expected, Expected.Replace("str:\"hi\"", "str:\"ho\"", StringComparison.Ordinal));
        Assert.NotNull(diff);
        Assert.Equal("Constant.value", diff.Cause);
        Assert.Equal(Expected.IndexOf("hi", StringComparison.Ordinal) + 1, diff.Index);
    }

    [Fact]
    public void PositionDifferenceNamesTheNode()
    {
        var diff = DumpDiff.Compare(Expected, Expected.Replace("@1:4-1:8", "@1:4-1:9", StringComparison.Ordinal));
        Assert.NotNull(diff);
        Assert.Equal("Constant@position", diff.Cause);
        Assert.Contains(">>>", diff.ActualContext, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeTypeDifferenceNamesTheParentField()
    {
        var diff = DumpDiff.Compare(Expected, Expected.Replace("Name(id", "Starred(id", StringComparison.Ordinal));
        Assert.NotNull(diff);
        Assert.Equal("Assign.targets", diff.Cause);
    }
}
