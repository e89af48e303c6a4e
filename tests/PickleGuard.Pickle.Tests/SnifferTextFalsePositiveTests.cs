using System.Text;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// Text files whose first letters happen to be opcodes ('M' BININT2, then two bytes, then 'a' APPEND) were taken
/// for pickles during directory scans and reported as malformed (wheel METADATA files in the stdlib benchmark).
/// </summary>
public sealed class SnifferTextFalsePositiveTests
{
    [Theory]
    [InlineData("Metadata-Version: 2.1\nName: pip\n")]
    [InlineData("Message-ID: <1@example.com>\n")]
    [InlineData("Keep calm\n")]
    [InlineData("P4\n# CREATOR: GIMP PNM Filter\n")]
    public void TextStartingWithANumberOpcodeIsNotAPickle(string text) =>
        Assert.False(PickleSniffer.LooksLikePickle(Encoding.ASCII.GetBytes(text)));

    [Theory]
    [InlineData("4B052E")]           // K 5 STOP: a bare small int, protocol 1
    [InlineData("4B0171004B022E")]   // K 1, BINPUT 0, BININT1 2, STOP
    [InlineData("4D0001860000")]     // M 256, TUPLE2
    public void BinaryNumberPicklesAreStillRecognised(string hex) =>
        Assert.True(PickleSniffer.LooksLikePickle(Convert.FromHexString(hex)));
}
