using System.IO.Compression;
using System.Text;

namespace PickleGuard.Cli.Tests;

public class InspectCommandTests
{
    // GLOBAL os.system, MARK, STRING, TUPLE, REDUCE, STOP: hand-assembled, never loaded.
    private static readonly byte[] MaliciousPickle = Encoding.ASCII.GetBytes("cos\nsystem\n(S'echo hi'\ntR.");

    [Fact]
    public void ShowsLayoutFindingsDisassemblyAndDecompiledView()
    {
        using var dir = new TempDir();
        dir.WriteBytes("evil.pkl", MaliciousPickle);
        var result = CliRunner.RunIn(dir.Root, "inspect", "evil.pkl");
        Assert.Equal(1, result.ExitCode);
        var text = result.Out.Replace("\r\n", "\n");
        Assert.Contains("Layout:\n  evil.pkl [pickle, 26 bytes]\n", text);
        Assert.Contains("evil.pkl @ offset 0x0: high PG201 [dangerous-global]", text);
        Assert.Contains("Disassembly:", text);
        Assert.Contains("0: GLOBAL           'os system'", text);
        Assert.Contains("REDUCE", text);
        Assert.Contains("!! PG201 high", text);
        Assert.Contains("_var0 = os.system('echo hi')", text);
    }

    [Fact]
    public void ShowsPickleMembersOfATorchZip()
    {
        using var dir = new TempDir();
        var path = dir.Path_("model.pt");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var entry = archive.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open())
            {
                entry.Write(MaliciousPickle);
            }
            using (var version = archive.CreateEntry("archive/version", CompressionLevel.NoCompression).Open())
            {
                version.Write("3\n"u8);
            }
        }
        var result = CliRunner.RunIn(dir.Root, "inspect", "model.pt");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("archive/data.pkl [pickle", result.Out);
        Assert.Contains("Pickle stream model.pt!archive/data.pkl:", result.Out);
        Assert.Contains("model.pt!archive/data.pkl @ offset 0x0: high PG201", result.Out);
        Assert.Contains("os.system('echo hi')", result.Out);
    }

    [Fact]
    public void BenignPickleExitsZero()
    {
        using var dir = new TempDir();
        dir.WriteBytes("ok.pkl", [0x80, 0x02, 0x7d, 0x2e]);
        var result = CliRunner.RunIn(dir.Root, "inspect", "ok.pkl");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No findings.", result.Out);
        Assert.Contains("EMPTY_DICT", result.Out);
    }

    [Fact]
    public void MissingFileIsAUsageError()
    {
        using var dir = new TempDir();
        var result = CliRunner.RunIn(dir.Root, "inspect", "nope.pkl");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
    }
}
