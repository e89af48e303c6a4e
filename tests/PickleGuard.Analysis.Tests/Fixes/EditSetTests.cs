using PickleGuard.Analysis.Fixes;
using PickleGuard.Core;

namespace PickleGuard.Analysis.Tests.Fixes;

public sealed class EditSetTests
{
    [Fact]
    public void OverlappingFixIsRefusedWhole()
    {
        var edits = new EditSet();
        Assert.True(edits.TryAdd([new TextEdit("f", 2, 5, "X")]));
        Assert.False(edits.TryAdd([new TextEdit("f", 8, 8, "late"), new TextEdit("f", 4, 6, "Y")]));
        Assert.False(edits.TryAdd([new TextEdit("f", 3, 3, "inside")]));
        Assert.Equal("01X56789", edits.ApplyTo("0123456789"));
    }

    [Fact]
    public void IdenticalEditsMergeAndInsertionsKeepTheirOrder()
    {
        var edits = new EditSet();
        Assert.True(edits.TryAdd([new TextEdit("f", 9, 10, ""), new TextEdit("f", 2, 2, "a")]));
        Assert.True(edits.TryAdd([new TextEdit("f", 2, 2, "a")]));
        Assert.True(edits.TryAdd([new TextEdit("f", 2, 2, "b"), new TextEdit("f", 5, 5, "|")]));
        Assert.Equal("01ab234|5678", edits.ApplyTo("0123456789"));
        Assert.Null(edits.ApplyTo("short"));
    }
}
