namespace PickleGuard.Pickle.Tests;

/// <summary>
/// Binary data that starts with 'V' (protocol 0 UNICODE) and holds a newline was taken for a pickle: a CorelDRAW
/// drawing record in LightGBM's logo.cdr (a zip) read as a 342-byte string, then EXT1 and a bad opcode (PG203 and
/// PG204, medium). A string that opens a pickle is pickled on its own, and the pickler writes its memo PUT or STOP next.
/// </summary>
public sealed class SnifferBinaryFalsePositiveTests
{
    [Theory]
    [InlineData("568BC8D0FC4B314F0A82D30DFF0011", false)] // the drawing record: 'V', 7 bytes, newline, EXT1
    [InlineData("56616263", false)]                       // no newline: no UNICODE line
    [InlineData("56746578740A70300A2E", true)]            // pickle.dumps("text", 0): Vtext, PUT p0, STOP
    [InlineData("56746578740A2E", true)]                  // the same without the memo (pickletools.optimize)
    [InlineData("56C3A90A", true)]                        // the newline ends the head: the next opcode is unseen
    public void AUnicodeLineOpensAPickleOnlyBeforeAMemoPutOrStop(string hex, bool expected) =>
        Assert.Equal(expected, PickleSniffer.LooksLikePickle(Convert.FromHexString(hex)));
}
