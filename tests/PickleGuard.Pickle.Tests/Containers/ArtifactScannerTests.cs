using System.IO.Compression;
using System.Text;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;
using PickleGuard.Pickle.Containers.Streams;

namespace PickleGuard.Pickle.Tests.Containers;

public sealed class ArtifactScannerTests
{
    private static readonly byte[] OsSystem = Encoding.ASCII.GetBytes("cos\nsystem\n");

    [Theory]
    [InlineData("malicious/model_arrays.joblib")]
    [InlineData("malicious/legacy_torch.pt")]
    [InlineData("malicious/object.npy")]
    [InlineData("malicious/object_array_system.npy")]
    [InlineData("malicious/raw_p2.pkl")]
    [InlineData("malicious/torch_legacy.tar")]
    public void OffsetsPointAtTheGlobalInTheFile(string name)
    {
        var path = Fixture(name);
        var bytes = File.ReadAllBytes(path);
        var finding = Assert.Single(RealScanner().Scan(path).Findings, f => f.Callable is "os.system" or "posix.system");
        var offset = finding.Location.ByteOffset!.Value;
        if (name.EndsWith(".tar", StringComparison.Ordinal))
        {
            // Offsets inside a tar member are relative to the member's data.
            Assert.Equal("pickle", finding.Location.Member);
            return;
        }

        Assert.True(bytes.AsSpan((int)offset).StartsWith(OsSystem), $"offset {offset} is not at the GLOBAL opcode");
    }

    [Fact]
    public void ZipMemberOffsetsAreRelativeToTheMember()
    {
        var path = Fixture("malicious/torch_deflated.pt");
        using var zip = ZipFile.OpenRead(path);
        using var member = new MemoryStream();
        zip.GetEntry("archive/data.pkl")!.Open().CopyTo(member);
        var finding = Assert.Single(RealScanner().Scan(path).Findings, f => f.Callable is "os.system" or "posix.system");
        Assert.Equal("archive/data.pkl", finding.Location.Member);
        Assert.True(member.ToArray().AsSpan((int)finding.Location.ByteOffset!.Value).StartsWith(OsSystem));
    }

    [Theory]
    [InlineData("benign/object_array.npy")]
    [InlineData("benign/object_array_numpy2.npy")]
    [InlineData("benign/object_array.npz")]
    public void NumpysOwnArrayGlobalsInAnNpyAreAllowedUnderEveryProfile(string name)
    {
        // np.save of a list and a dict in an object array was three PG202 (_reconstruct, ndarray, dtype) under `plain`.
        foreach (var profile in PicklePolicy.Profiles)
        {
            var finding = Assert.Single(RealScanner(profile).Scan(Fixture(name)).Findings);
            Assert.Equal("PG228", finding.RuleCode);
        }
    }

    [Fact]
    public void TheSameGlobalsInAPlainPickleAreStillUnvetted()
    {
        // Only np.load reads a .npy; the pickle np.save wrote, saved as a .pkl, is read by anything.
        var bytes = File.ReadAllBytes(Fixture("benign/object_array.npy"));
        var payload = new MemoryStream(bytes[(bytes.AsSpan().IndexOf((byte)'\n') + 1)..]);
        var unvetted = RealScanner().Scan(payload, "object_array.pkl").Findings.Where(f => f.RuleCode == "PG202").Select(f => f.Callable);
        Assert.Equal(["numpy.core.multiarray._reconstruct", "numpy.ndarray", "numpy.dtype"], unvetted);
    }

    [Fact]
    public void ADangerousGlobalInAnObjectArrayStaysHigh()
    {
        var findings = RealScanner().Scan(Fixture("malicious/object_array_system.npy")).Findings;
        Assert.Equal(["PG228", "PG201"], findings.Select(f => f.RuleCode));
        Assert.Equal((Severity.High, "os.system"), (findings[1].Severity, findings[1].Callable));
    }

    [Theory]
    [InlineData("benign/object_array.npy", "numpy.dtype")]
    [InlineData("benign/torch_weights_only.pt", "torch.device")] // torch's weights-only globals, added to a checkpoint
    public void AUserDenyStillWinsOverWhatAPayloadPolicyAdds(string name, string global)
    {
        var policy = PicklePolicy.LoadFromText("plain", "team.policy", $"deny {global}  # our loaders never build it\n");
        var scanner = new ArtifactScanner(new PickleScanner(policy, PickleLimits.Default), ContainerLimits.Default);
        var denied = Assert.Single(scanner.Scan(Fixture(name)).Findings, f => f.Severity == Severity.High);
        Assert.Equal(("PG201", global), (denied.RuleCode, denied.Callable));
    }

    [Fact]
    public void JoblibDumpGoesWholeToThePickleScannerWhichStepsOverItsArrays()
    {
        var path = Fixture("benign/model_arrays.joblib.xz");
        var recorder = new RecordingPickleScanner();
        var layout = new ArtifactScanner(recorder, ContainerLimits.Default).Scan(path).Layout;
        var delivered = Assert.Single(recorder.Delivered).Bytes;
        Assert.Equal(File.ReadAllBytes(Fixture("benign/model_arrays.joblib")), delivered);
        Assert.Equal(ContainerFormat.Xz, layout.Format);
        Assert.Equal(ContainerFormat.Joblib, Assert.Single(layout.Children).Format);
        Assert.Empty(RealScanner("sklearn").Scan(path).Findings);
    }

    [Fact]
    public void LegacyTorchPicklesAreScannedOneByOneAndStoragesSkipped()
    {
        var recorder = new RecordingPickleScanner();
        var result = new ArtifactScanner(recorder, ContainerLimits.Default).Scan(Fixture("benign/legacy_torch.pt"));
        Assert.Equal(5, recorder.Delivered.Count);
        Assert.Equal([15, 6, 100, 166, 12], recorder.Delivered.Select(d => d.Bytes.Length));
        var storages = Assert.Single(result.Layout.Children, c => c.Format == ContainerFormat.Data);
        Assert.Equal(24, storages.Size);
    }

    [Fact]
    public void DecompressedSizeLimitIsAFinding()
    {
        var limits = ContainerLimits.Default with { MaxDecompressedBytes = 100 };
        var result = new ArtifactScanner(new RecordingPickleScanner(), limits).Scan(Fixture("benign/model_arrays.joblib.gz"));
        var finding = Assert.Single(result.Findings);
        Assert.Equal("PG221", finding.RuleCode);
        Assert.Equal(Severity.Medium, finding.Severity);
    }

    [Fact]
    public void ManySmallOverlappingMembersHitTheWholeFileRatioLimit()
    {
        // One deflated member of 1 MiB of zeros, listed 300 times by the central directory (a non-recursive zip bomb):
        // each member is below the per-stream ratio check, all of them together are not.
        var data = new byte[1 << 20];
        var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }

        var payload = deflated.ToArray();
        var crc = System.IO.Hashing.Crc32.HashToUInt32(data);
        var zip = new MemoryStream();
        var writer = new BinaryWriter(zip);
        writer.Write(0x04034B50u); writer.Write((ushort)20); writer.Write((ushort)0); writer.Write((ushort)8);
        writer.Write(0u); writer.Write(crc); writer.Write(payload.Length); writer.Write(data.Length);
        writer.Write((ushort)5); writer.Write((ushort)0); writer.Write("a.bin"u8); writer.Write(payload);
        var directoryStart = zip.Position;
        for (var i = 0; i < 300; i++)
        {
            writer.Write(0x02014B50u); writer.Write((ushort)20); writer.Write((ushort)20); writer.Write((ushort)0); writer.Write((ushort)8);
            writer.Write(0u); writer.Write(crc); writer.Write(payload.Length); writer.Write(data.Length);
            writer.Write((ushort)5); writer.Write((ushort)0); writer.Write((ushort)0); writer.Write((ushort)0); writer.Write((ushort)0);
            writer.Write(0u); writer.Write(0u); writer.Write("a.bin"u8);
        }

        var directorySize = zip.Position - directoryStart;
        writer.Write(0x06054B50u); writer.Write(0u); writer.Write((ushort)300); writer.Write((ushort)300);
        writer.Write((uint)directorySize); writer.Write((uint)directoryStart); writer.Write((ushort)0);
        zip.Position = 0;

        var limits = ContainerLimits.Default with { RatioCheckAfterBytes = 8 << 20, MaxCompressionRatio = 100 };
        var result = new ArtifactScanner(new RecordingPickleScanner(), limits).Scan(zip, "bomb.zip");
        Assert.Contains(result.Findings, f => f.RuleCode == "PG221" && f.Message.Contains("all decompressed output together", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.RuleCode == "PG224");
    }

    [Fact]
    public void ACorruptMemberDoesNotEndTheScanOfTheOthers()
    {
        // A deflated member whose data is garbage, listed before a malicious data.pkl.
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var first = zip.CreateEntry("archive/aaa.pkl", CompressionLevel.Optimal).Open())
            {
                first.Write(new byte[4096]);
            }

            using var second = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open();
            second.Write(File.ReadAllBytes(Fixture("malicious/raw_p2.pkl")));
        }

        var bytes = archive.ToArray();
        var data = bytes.AsSpan().IndexOf("archive/aaa.pkl"u8) + "archive/aaa.pkl".Length;
        bytes.AsSpan(data, 6).Fill(0xFF); // the deflate stream starts with an invalid block type
        var result = RealScanner().Scan(new MemoryStream(bytes), "corrupt.pt");
        Assert.Contains(result.Findings, f => f.RuleCode == "PG220" && f.Location.Member == "archive/aaa.pkl");
        Assert.Contains(result.Findings, f => f.Callable is "os.system" or "posix.system" && f.Location.Member == "archive/data.pkl");
    }

    [Fact]
    public void LargeDecodedArchivesAreSpilledToATemporaryFile()
    {
        var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(File.ReadAllBytes(Fixture("malicious/torch_data_pkl.pt")));
        }

        gzipped.Position = 0;
        var recorder = new RecordingPickleScanner();
        var limits = ContainerLimits.Default with { MaxBufferedBytes = 1000 };
        var result = new ArtifactScanner(recorder, limits).Scan(gzipped, "model.pt.gz");
        Assert.Empty(result.Findings);
        Assert.True(recorder.Saw("system"));
        Assert.Equal(ContainerFormat.TorchZip, Assert.Single(result.Layout.Children).Format);
    }

    [Fact]
    public void NestingLimitIsAFinding()
    {
        var limits = ContainerLimits.Default with { MaxDepth = 1 };
        var recorder = new RecordingPickleScanner();
        var result = new ArtifactScanner(recorder, limits).Scan(Fixture("malicious/nested.tar"));
        Assert.Equal(["PG223"], result.Findings.Select(f => f.RuleCode));
        Assert.Empty(recorder.Delivered);
    }

    [Fact]
    public void MemberLimitIsAFinding()
    {
        var limits = ContainerLimits.Default with { MaxMembers = 2 };
        var result = new ArtifactScanner(new RecordingPickleScanner(), limits).Scan(Fixture("benign/torch_model.pt"));
        Assert.Contains(result.Findings, f => f.RuleCode == "PG229");
    }

    [Fact]
    public void UnrecognisedExplicitFileIsANoteNotAPass()
    {
        var result = RealScanner().Scan(Fixture("benign/weights.gguf"));
        var note = Assert.Single(result.Findings);
        Assert.Equal(("PG226", Severity.Info), (note.RuleCode, note.Severity));
        Assert.Equal(ContainerFormat.Unknown, result.Layout.Format);
    }

    [Fact]
    public void TruncatedZipIsUnscannableNotClean()
    {
        var bytes = File.ReadAllBytes(Fixture("malicious/torch_data_pkl.pt"));
        var result = RealScanner().Scan(new MemoryStream(bytes[..(bytes.Length / 2)]), "cut.pt");
        Assert.Contains(result.Findings, f => f.Severity >= Severity.Medium);
    }

    [Fact]
    public void CorruptGzipIsUnscannableNotClean()
    {
        var bytes = File.ReadAllBytes(Fixture("benign/config.pkl.gz"));
        bytes[12] ^= 0xFF;
        var result = RealScanner().Scan(new MemoryStream(bytes), "bad.pkl.gz");
        Assert.Contains(result.Findings, f => f.RuleCode == "PG220" || f.Severity >= Severity.Medium);
    }

    [Theory]
    [InlineData("benign/model_arrays.joblib.bz2")]
    [InlineData("benign/model_arrays.joblib.xz")]
    [InlineData("benign/model_arrays.joblib.lzma")]
    [InlineData("benign/model_arrays.joblib.zst")]
    [InlineData("benign/model_arrays.joblib.lz4")]
    [InlineData("benign/model.7z")]
    public void TruncatedCompressedStreamsAreUnscannable(string name)
    {
        var bytes = File.ReadAllBytes(Fixture(name));
        var recorder = new RecordingPickleScanner();
        var result = new ArtifactScanner(recorder, ContainerLimits.Default).Scan(new MemoryStream(bytes[..(bytes.Length * 2 / 3)]), name);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("PG220", finding.RuleCode);
        Assert.Empty(recorder.Delivered);
    }

    [Fact]
    public void TruncatedCompressedPickleIsReportedAndItsDecodedStartStillScanned()
    {
        // PROTO 2, os.system('true'), POP, 64 KiB of incompressible bytes, STOP — zstd-compressed, then cut in half.
        var filler = new byte[64 << 10];
        new Random(7).NextBytes(filler);
        byte[] pickle = [0x80, 2, .. OsSystem, (byte)'X', 4, 0, 0, 0, .. "true"u8, 0x85, (byte)'R', (byte)'0',
            (byte)'B', .. BitConverter.GetBytes(filler.Length), .. filler, (byte)'.'];
        using var compressor = new ZstdSharp.Compressor();
        var compressed = compressor.Wrap(pickle).ToArray();
        var result = RealScanner().Scan(new MemoryStream(compressed[..(compressed.Length / 2)]), "cut.pkl.zst");
        Assert.Contains(result.Findings, f => f.RuleCode == "PG220" && f.Message.Contains("only those bytes were scanned", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Callable is "os.system" or "posix.system" && f.Location.ByteOffset == 2);
    }

    [Fact]
    public void Bzip2InputIsReadInBlocksNotByteByByte()
    {
        var compressed = new MemoryStream();
        using (var compressor = SharpCompress.Compressors.BZip2.BZip2Stream.Create(compressed, SharpCompress.Compressors.CompressionMode.Compress, false, leaveOpen: true))
        {
            compressor.Write(IncompressiblePickle());
        }
        var input = new ReadCountingStream(compressed.ToArray());

        var result = RealScanner().Scan(input, "weights.pkl.bz2");

        Assert.Contains(result.Findings, f => f.Callable is "os.system" or "posix.system");
        // A read per byte was one system call per byte from a file: an 8 MB .pkl.bz2 took 17.9 s.
        Assert.True(input.Reads < 100, $"{input.Reads} reads for {input.Length} bytes of bzip2 input");
    }

    [Theory]
    [InlineData(SharpCompress.Common.CompressionType.BZip2)]
    [InlineData(SharpCompress.Common.CompressionType.LZMA)]
    public void ZipMembersAreReadInBlocksNotByteByByte(SharpCompress.Common.CompressionType method)
    {
        var zip = new MemoryStream();
        using (var writer = new SharpCompress.Writers.Zip.ZipWriter(zip, new SharpCompress.Writers.Zip.ZipWriterOptions(method) { LeaveStreamOpen = true }))
        {
            writer.Write("archive/data.pkl", new MemoryStream(IncompressiblePickle()), DateTime.UnixEpoch);
        }
        var input = new ReadCountingStream(zip.ToArray());

        var result = RealScanner().Scan(input, "model.zip");

        Assert.Contains(result.Findings, f => f.Callable is "os.system" or "posix.system");
        Assert.True(input.Reads < 200, $"{input.Reads} reads for {input.Length} bytes of zip ({method})");
    }

    /// <summary>PROTO 2, os.system('true'), POP, 256 KiB of incompressible bytes, STOP: its compressed forms are as large.</summary>
    private static byte[] IncompressiblePickle()
    {
        var filler = new byte[256 << 10];
        new Random(11).NextBytes(filler);
        return [0x80, 2, .. OsSystem, (byte)'X', 4, 0, 0, 0, .. "true"u8, 0x85, (byte)'R', (byte)'0',
            (byte)'B', .. BitConverter.GetBytes(filler.Length), .. filler, (byte)'.'];
    }

    /// <summary>A read-only stream over <paramref name="bytes"/> that counts the calls that read from it.</summary>
    private sealed class ReadCountingStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, count);
        }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            return base.Read(buffer);
        }

        public override int ReadByte()
        {
            Reads++;
            return base.ReadByte();
        }
    }

    [Fact]
    public void ExtractsPickleStreamsFromAnyContainerForInspect()
    {
        using var zip = ZipFile.OpenRead(Fixture("malicious/torch_data_pkl.pt"));
        using var member = new MemoryStream();
        zip.GetEntry("archive/data.pkl")!.Open().CopyTo(member);

        var streams = ArtifactScanner.ExtractPickleStreams(Fixture("malicious/nullifai_model.7z"), ContainerLimits.Default, 1 << 20);
        var stream = Assert.Single(streams);
        Assert.Equal("model.pt!archive/data.pkl", stream.Member);
        Assert.Equal(member.ToArray(), stream.Bytes);
        Assert.False(stream.Truncated);

        var legacy = ArtifactScanner.ExtractPickleStreams(Fixture("benign/legacy_torch.pt"), ContainerLimits.Default, 100);
        Assert.Equal([15, 6, 100, 100, 12], legacy.Select(s => s.Bytes.Length));
        Assert.Equal([false, false, false, true, false], legacy.Select(s => s.Truncated));
    }

    [Fact]
    public void MissingFileIsAnInputError()
    {
        var result = RealScanner().Scan(Path.Combine(FixturePaths.Containers, "no-such-file.pt"));
        Assert.Single(result.Errors);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void NeverThrowsOnTruncatedOrFlippedBytes()
    {
        var scanner = new ArtifactScanner(new RecordingPickleScanner(), ContainerLimits.Default);
        var scanned = 0;
        foreach (var file in Directory.GetFiles(FixturePaths.Containers, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith("manifest.json", StringComparison.Ordinal) || file.Contains("bomb", StringComparison.Ordinal))
            {
                continue;
            }

            var bytes = File.ReadAllBytes(file);
            foreach (var cut in new[] { 1, 7, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1 })
            {
                var result = scanner.Scan(new MemoryStream(bytes[..Math.Max(0, cut)]), file);
                Assert.Empty(result.Errors);
                scanned++;
            }

            for (var position = 0; position < bytes.Length; position += Math.Max(1, bytes.Length / 16))
            {
                var flipped = (byte[])bytes.Clone();
                flipped[position] ^= 0x5A;
                Assert.Empty(scanner.Scan(new MemoryStream(flipped), file).Errors);
                scanned++;
            }
        }

        Assert.True(scanned > 500);
    }

    private static string Fixture(string name) => Path.Combine(FixturePaths.Containers, name);

    private static ArtifactScanner RealScanner(string profile = "plain") =>
        new(new PickleScanner(PicklePolicy.Load(profile), PickleLimits.Default), ContainerLimits.Default);
}
