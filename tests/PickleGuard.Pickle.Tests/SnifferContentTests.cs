using System.Text;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// The content test for files named on the command line: a protocol 0 pickle that opens with an opcode the head
/// sniffer does not expect (PERSID here) was analysed as Python and its payload missed.
/// </summary>
public sealed class SnifferContentTests
{
    [Theory]
    [InlineData("P0\n0cos\nsystem\n(S'true'\ntR.")]   // PERSID, POP, then the os.system payload
    [InlineData("Pid\n.")]
    [InlineData("I0x10\n.")]                          // INT in base 0 is legal
    public void OpcodeStreamsUpToStopArePickles(string text) =>
        Assert.True(ReadsAsPickle(Encoding.ASCII.GetBytes(text)));

    [Theory]
    [InlineData("import pickle\npickle.loads(data)\n")]
    [InlineData("Hello world.\n")]
    [InlineData("print(1).")]                         // 'p' PUT wants a decimal index
    [InlineData("Pid\n")]                             // a valid opcode but no STOP: the file simply ends
    [InlineData(".")]                                 // nothing before STOP
    [InlineData("")]
    public void TextAndIncompleteStreamsAreNot(string text) =>
        Assert.False(ReadsAsPickle(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void AValidPrefixLongerThanTheWindowIsAPickle()
    {
        var bytes = Enumerable.Repeat((byte)'N', 5000).ToArray();   // NONE opcodes only, no STOP within 4096 bytes
        Assert.True(PickleSniffer.ReadsAsPickleStream(new MemoryStream(bytes), maxBytes: 4096));
        Assert.False(PickleSniffer.ReadsAsPickleStream(new MemoryStream(bytes), maxBytes: 8192));
    }

    private static bool ReadsAsPickle(byte[] bytes) => PickleSniffer.ReadsAsPickleStream(new MemoryStream(bytes), maxBytes: 1 << 20);
}
