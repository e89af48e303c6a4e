using System.Text;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// The content test for files named on the command line: a protocol 0 pickle whose first 64 bytes neither reach a
/// STOP nor import anything (a long persistent id first) was analysed as Python and its payload missed.
/// </summary>
public sealed class SnifferContentTests
{
    private static readonly string LongPersistentId = "P" + new string('x', 200) + "\n0";

    [Theory]
    [InlineData("cos\nsystem\n(S'true'\ntR.")]
    [InlineData("Pid\n.")]
    [InlineData("I0x10\n.")]                          // INT in base 0 is legal
    public void PicklesReadAsPickles(string text) => Assert.True(ReadsAsPickle(text));

    [Fact]
    public void APayloadBehindALongPersistentIdIsFoundPastTheHead()
    {
        var text = LongPersistentId + "cos\nsystem\n(S'true'\ntR.";
        Assert.False(ArtifactScanner.IsArtifactCandidate("payload", Encoding.ASCII.GetBytes(text)[..64]));
        Assert.True(ReadsAsPickle(text));
    }

    [Theory]
    [InlineData("import pickle\npickle.loads(data)\n")]
    [InlineData("Hello world.\n")]
    [InlineData("print(1).")]                         // 'p' PUT wants a decimal index
    [InlineData("Pid\n")]                             // a valid opcode but no STOP and no import
    [InlineData("")]
    public void TextAndIncompleteStreamsAreNot(string text) => Assert.False(ReadsAsPickle(text));

    private static bool ReadsAsPickle(string text)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes(text));
            return ArtifactScanner.IsExplicitArtifact(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
