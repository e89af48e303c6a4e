using PickleGuard.Pickle.Containers;
using PickleGuard.Pickle.Containers.Formats;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class MagicTests
{
    [Theory]
    [InlineData("504B0304", ContainerFormat.Zip)]
    [InlineData("504B0506", ContainerFormat.Zip)]
    [InlineData("934E554D5059", ContainerFormat.Npy)]
    [InlineData("1F8B08", ContainerFormat.Gzip)]
    [InlineData("425A6839", ContainerFormat.Bzip2)]
    [InlineData("FD377A585A00", ContainerFormat.Xz)]
    [InlineData("377ABCAF271C", ContainerFormat.SevenZip)]
    [InlineData("28B52FFD", ContainerFormat.Zstd)]
    [InlineData("04224D18", ContainerFormat.Lz4Frame)]
    [InlineData("5A46307831", ContainerFormat.JoblibZlib)]
    [InlineData("789C", ContainerFormat.Zlib)]
    [InlineData("7801", ContainerFormat.Zlib)]
    [InlineData("5D00008000FFFFFFFFFFFFFFFF", ContainerFormat.LzmaAlone)]
    [InlineData("00000003000000010000000000000007", ContainerFormat.Unknown)] // Kotlin metadata in a jar: valid LZMA properties, no LZMA file
    [InlineData("80028A0A6CFC9C46F9206AA850192E", ContainerFormat.TorchLegacy)]
    [InlineData("8002", ContainerFormat.Unknown)]
    [InlineData("47475546", ContainerFormat.Unknown)]
    [InlineData("636F730A", ContainerFormat.Unknown)]
    public void RecognisesFormatsByTheirLeadingBytes(string hex, ContainerFormat expected) =>
        Assert.Equal(expected, Magic.Detect(Convert.FromHexString(hex)));

    /// <summary>
    /// Text whose first two bytes form a valid zlib header was taken for a corrupt zlib stream (xgboost's six READMEs
    /// starting "XGBoost": PG220 medium); a binary head that does not inflate still is one.
    /// </summary>
    [Theory]
    [InlineData("XGBoost R Package\n=================\n\nSome text.\n")]
    [InlineData("HKEY_LOCAL_MACHINE settings\n")]
    [InlineData("hCaptcha notes\n")]
    [InlineData("x^2 + y^2 = z^2\n")]
    public void TextStartingWithAZlibHeaderIsNoZlibStream(string text)
    {
        var head = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.Equal(ContainerFormat.Unknown, Magic.Detect(head));
        Assert.False(ArtifactScanner.IsArtifactCandidate("NEWS.md", head));
    }

    [Fact]
    public void ABinaryHeadAfterAZlibHeaderThatDoesNotInflateIsStillZlib() =>
        Assert.Equal(ContainerFormat.Zlib, Magic.Detect([0x78, 0x9C, 0xFF, 0x01, 0x02, 0x03]));

    [Fact]
    public void RecognisesTarByUstarAndByChecksum()
    {
        var tar = File.ReadAllBytes(Path.Combine(FixturePaths.Containers, "benign", "bundle.tar"));
        Assert.Equal(ContainerFormat.Tar, Magic.Detect(tar.AsSpan(0, 512)));

        var v7 = tar[..512];
        v7.AsSpan(257, 8).Clear(); // no "ustar": only the header checksum identifies it
        var sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : v7[i];
        }

        System.Text.Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(v7, 148);
        Assert.Equal(ContainerFormat.Tar, Magic.Detect(v7));
        v7[0] ^= 1;
        Assert.Equal(ContainerFormat.Unknown, Magic.Detect(v7));
    }

    [Theory]
    [InlineData("model.txt", "504B0304", true)]
    [InlineData("weights", "80025D71", true)]
    [InlineData("weights", "636F730A73797374656D0A", true)]
    [InlineData("model.pt", "68656C6C6F", true)]
    [InlineData("notes.txt", "68656C6C6F", false)]
    [InlineData("LICENSE", "4D4954204C6963", false)]
    public void ArtifactCandidatesByMagicPickleHeadOrExtension(string name, string hex, bool expected) =>
        Assert.Equal(expected, ArtifactScanner.IsArtifactCandidate(name, Convert.FromHexString(hex)));
}
