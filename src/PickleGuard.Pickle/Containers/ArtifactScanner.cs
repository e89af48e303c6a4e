using PickleGuard.Core;
using PickleGuard.Pickle.Containers.Formats;
using PickleGuard.Pickle.Containers.Streams;
using PickleGuard.Pickle.Opcodes;

namespace PickleGuard.Pickle.Containers;

/// <summary>
/// Opens every container a pickle can hide in — recognised by content, never by name alone — and hands each pickle
/// stream to the pickle scanner. What cannot be decoded is reported (PG220), never passed as clean.
/// </summary>
public sealed partial class ArtifactScanner
{
    private readonly IPickleStreamScanner pickles;
    private readonly ContainerLimits limits;

    public ArtifactScanner(PickleScanner pickles, ContainerLimits limits)
        : this(new PickleScannerAdapter(pickles), limits)
    {
    }

    internal ArtifactScanner(IPickleStreamScanner pickles, ContainerLimits limits)
    {
        this.pickles = pickles;
        this.limits = limits;
    }

    /// <summary>Scans the file at <paramref name="path"/> by its content; never throws on input.</summary>
    public ArtifactScanResult Scan(string path)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.RandomAccess);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new ArtifactScanResult([], [new InputError(path, ex.Message)], new ContainerNode(ContainerFormat.File, path, 0, null));
        }

        using (file)
        {
            return Scan(file, path);
        }
    }

    /// <summary>Scans <paramref name="stream"/> (read from its current position) as the file <paramref name="path"/>.</summary>
    public ArtifactScanResult Scan(Stream stream, string path)
    {
        var content = stream.CanSeek && stream.Position != 0
            ? new SubStream(stream, stream.Position, stream.Length - stream.Position)
            : stream;
        using var context = new ScanContext(path, limits, content.CanSeek ? content.Length : null);
        var root = new ContainerNode(ContainerFormat.File, path, 0, content.CanSeek ? content.Length : null);
        try
        {
            ScanContent(context, content, root, member: null, depth: 0, ContentHint.Explicit);
        }
        catch (IOException ex)
        {
            context.Errors.Add(new InputError(path, ex.Message));
            context.Report(ContainerRuleCodes.Unscannable, null, null, $"reading the file failed: {ex.Message}");
        }

        return new ArtifactScanResult(context.Findings, context.Errors, root);
    }

    /// <summary>
    /// The decoded pickle streams of the artifact at <paramref name="path"/>, each up to
    /// <paramref name="maxBytesPerStream"/> bytes, found exactly as <see cref="Scan(string)"/> finds them (for
    /// <c>inspect</c> to disassemble). Never throws on input; unreadable parts are simply absent.
    /// </summary>
    public static IReadOnlyList<PickleStreamBytes> ExtractPickleStreams(string path, ContainerLimits limits, long maxBytesPerStream)
    {
        var capture = new CapturingPickleScanner(maxBytesPerStream);
        new ArtifactScanner(capture, limits).Scan(path);
        return capture.Streams;
    }

    /// <summary>How much of a file named on the command line is probed when its head alone does not decide.</summary>
    private const int ExplicitProbeBytes = 1 << 20;

    /// <summary>
    /// For directory discovery: true when the head bytes are a known container or a pickle (of any protocol), or the
    /// name has a usual model/pickle extension (a protocol 0/1 pickle may start with bytes the sniffer does not expect)
    /// — unless the file is inert text (see <see cref="IsInertText"/>), compressed or not
    /// (<see cref="IsCompressedInertText"/>): a site <c>.pth</c> path file or an <c>egg-info/top_level.txt</c> whose first
    /// line happens to start with an opcode is not a pickle.
    /// </summary>
    public static bool IsArtifactCandidate(string path, ReadOnlySpan<byte> head)
    {
        if (Magic.Detect(head) is var format and not ContainerFormat.Unknown)
        {
            return !IsCompressedInertText(path, format);
        }

        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (PickleSniffer.LooksLikePickle(head) || IsModelExtension(extension))
        {
            return !IsInertText(path, head);
        }

        // Last, the content itself: np.load and torch.load unpickle any file name, and a pickle may start with any opcode.
        // Text again is left out when inert: a Visual Studio solution file ("Microsoft ...\n\tProjectSection\n
        // EndProject") reads as globals named `tion.EndProject` past a broken MARK, and was reported (Ray's `Ray.sln`).
        return PickleProbe.ReadsAsPickle(new MemoryStream(head.ToArray(), writable: false)) && !IsInertText(path, head);
    }

    /// <summary>
    /// True for a file of at most <see cref="ExplicitProbeBytes"/> that starts with plain text (<see cref="PlainText.IsPlainText"/>) and that, read
    /// whole by the symbolic machine, never reaches STOP, calls nothing and imports nothing denied
    /// (<see cref="PickleProbe.CannotCallAnything"/>): the unpickler would fail on it before it could call anything,
    /// so it is not reported as a broken pickle. A larger file, or one that cannot be read, is not proven inert.
    /// </summary>
    private static bool IsInertText(string path, ReadOnlySpan<byte> head) =>
        PlainText.IsPlainText(head) && ReadStart(path, wholeFileOnly: true) is { } content && PickleProbe.CannotCallAnything(content);

    /// <summary>
    /// The same for one compressed stream (gzip, zlib, bzip2, xz, lzma, zstd, lz4) that decodes whole, within
    /// <see cref="ExplicitProbeBytes"/>, to plain text that is inert: HTML, scripts and logs compressed as test
    /// data for Content-Encoding (scrapy's <c>tests/sample_data/compressed/*.bin</c>) read as broken pickles once
    /// decoded (PG204). Only for names whose content is read as a pickle (<see cref="HasPickleName"/>): other
    /// compressed files (botocore's <c>*.json.gz</c>) are reported for what they are, at info, without decoding them
    /// here (that cost a third more CPU on the pyenv site-packages tree). A stream that does not decode cleanly is not
    /// proven inert.
    /// </summary>
    private static bool IsCompressedInertText(string path, ContainerFormat format)
    {
        if (format is not (ContainerFormat.Gzip or ContainerFormat.Zlib or ContainerFormat.Bzip2 or ContainerFormat.Xz
            or ContainerFormat.LzmaAlone or ContainerFormat.Zstd or ContainerFormat.Lz4Frame) || !HasPickleName(path))
        {
            return false;
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var decoded = OpenDecoder(format, file);
            var buffer = new byte[ExplicitProbeBytes + 1];
            var length = decoded.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return length <= ExplicitProbeBytes && PlainText.IsPlainText(buffer.AsSpan(0, length))
                && PickleProbe.CannotCallAnything(new MemoryStream(buffer, 0, length, writable: false));
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            return false;
        }
    }

    private static bool IsModelExtension(string extension)
    {
        return extension is ".pkl" or ".pickle" or ".bin" or ".pt" or ".pth" or ".ckpt" or ".data" or ".dat" or ".joblib"
            or ".sav" or ".model" or ".mdl" or ".safetensors" or ".npy" or ".npz" or ".gz" or ".bz2" or ".xz" or ".lzma" or ".zst" or ".lz4" or ".7z" or ".tar" or ".zip";
    }

    /// <summary>
    /// For a file named on the command line (always scanned by content) that <see cref="IsArtifactCandidate"/>
    /// rejected: true when it has a pickle/model extension (named explicitly, even inert text is scanned and reported)
    /// or its first MiB reads as a pickle (see <see cref="PickleProbe"/>), such as a protocol 0 pickle that opens with
    /// a long persistent id.
    /// </summary>
    public static bool IsExplicitArtifact(string path)
    {
        if (IsModelExtension(System.IO.Path.GetExtension(path).ToLowerInvariant()))
        {
            return true;
        }

        return ReadStart(path, wholeFileOnly: false) is { } start && PickleProbe.ReadsAsPickle(start);
    }

    /// <summary>
    /// The first <see cref="ExplicitProbeBytes"/> of the file, or null when it cannot be read or, with
    /// <paramref name="wholeFileOnly"/>, when it is longer than that.
    /// </summary>
    private static MemoryStream? ReadStart(string path, bool wholeFileOnly)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (wholeFileOnly && stream.Length > ExplicitProbeBytes)
            {
                return null;
            }

            var start = new byte[(int)Math.Min(stream.Length, ExplicitProbeBytes)];
            var length = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            return new MemoryStream(start, 0, length, writable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Recognises what <paramref name="stream"/> holds and scans it; every failure becomes a finding.</summary>
    private void ScanContent(ScanContext context, Stream stream, ContainerNode node, string? member, int depth, ContentHint hint)
    {
        if (depth > limits.MaxDepth)
        {
            node.Note = "not opened: nesting limit";
            context.ReportOnce(ContainerRuleCodes.NestingDepth, member, null,
                $"containers nest deeper than {limits.MaxDepth} levels; the innermost content is not scanned");
            return;
        }

        var format = ContainerFormat.Unknown;
        try
        {
            var (content, head) = Peek(stream);
            format = Magic.Detect(head);
            if (hint == ContentHint.TensorData && !IsStrongSignature(format, head))
            {
                node.Format = ContainerFormat.Data;
                return;
            }

            if (hint == ContentHint.TorchCheckpointPickle && format != ContainerFormat.Unknown)
            {
                hint = ContentHint.Pickle; // torch.load unpickles the record's bytes as they are, never what they decode to
            }

            ScanRecognised(context, content, head, format, node, member, depth, hint);
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            ReportFault(context, ex, format, node, member);
        }
    }

    private static void ReportFault(ScanContext context, Exception fault, ContainerFormat format, ContainerNode node, string? member)
    {
        if (!context.IsNewFault(fault))
        {
            return;
        }

        if (fault is ContainerLimitException)
        {
            node.Note = "limit reached";
            context.ReportOnce(ContainerRuleCodes.DecompressionLimit, member, null, $"{fault.Message}; scanning stopped there");
            return;
        }

        node.Note = "could not be decoded";
        context.Report(ContainerRuleCodes.Unscannable, member, null,
            $"{(format == ContainerFormat.Unknown ? "content" : FormatName(format) + " content")} could not be decoded ({fault.Message}); it was not scanned");
    }

    private void ScanRecognised(ScanContext context, Stream content, ReadOnlySpan<byte> head, ContainerFormat format,
        ContainerNode node, string? member, int depth, ContentHint hint)
    {
        switch (format)
        {
            case ContainerFormat.Zip:
                ScanZip(context, EnsureSeekable(context, content), node, member, depth, hint);
                break;
            case ContainerFormat.Npy:
                ScanNpy(context, content, node, member);
                break;
            case ContainerFormat.TorchLegacy:
                ScanTorchLegacy(context, content, node, member);
                break;
            case ContainerFormat.Tar:
                ScanTar(context, content, node, member, depth);
                ScanPickleViewOfTar(context, content, node, member);
                break;
            case ContainerFormat.SevenZip:
                ScanSevenZip(context, EnsureSeekable(context, content), node, member, depth);
                break;
            case ContainerFormat.Unknown:
                ScanUnrecognised(context, content, head, node, member, depth, hint);
                break;
            default:
                ScanCompressed(context, content, format, node, member, depth, hint);
                break;
        }
    }

    /// <summary>Bytes with no magic number: a protocol 0/1 pickle, a zip found from its end (a polyglot), or data.</summary>
    private void ScanUnrecognised(ScanContext context, Stream content, ReadOnlySpan<byte> head, ContainerNode node,
        string? member, int depth, ContentHint hint)
    {
        var looksLikePickle = Magic.IsProtocolHeader(head) || pickles.LooksLikePickle(head);
        var foundZip = content.CanSeek && TryScanZipFoundFromEnd(context, content, node, member, depth);
        // A pickle's name is not enough when no opcode starts the file: every unpickler stops at its first byte, before
        // anything could run (a `.dat` of raw numbers, a Java serialized `.bin`), so it is not reported as a broken pickle.
        var namedPickle = hint == ContentHint.Explicit && HasPickleName(context.Path) && (head.Length == 0 || OpcodeTable.IsDefined(head[0]));
        if (looksLikePickle || hint is ContentHint.Pickle or ContentHint.TorchCheckpointPickle || namedPickle)
        {
            if (content.CanSeek)
            {
                content.Position = 0;
            }

            var target = foundZip ? node.Add(ContainerFormat.Pickle, "(pickle at start of file)", 0, null) : node;
            ScanPickle(context, content, target, member, hint == ContentHint.TorchCheckpointPickle ? pickles.TorchPayload : null);
            return;
        }

        if (foundZip)
        {
            return;
        }

        // np.load and torch.load unpickle a file whatever its name, and a protocol 0/1 pickle can start with any opcode:
        // content that reads as a pickle (one ran to STOP, or it imports a dotted name) is one. Archive members count too:
        // they are extracted and loaded by name (the nullifAI 7z trick).
        if (hint is ContentHint.Explicit or ContentHint.Member && TryScanAsPickle(context, content, head, node, member))
        {
            return;
        }

        if (hint == ContentHint.Explicit)
        {
            if (IsSafetensorsHead(head))
            {
                node.Format = ContainerFormat.Data;
                node.Note = "safetensors (a JSON header and raw tensors; no pickle)";
                return;
            }

            node.Format = ContainerFormat.Unknown;
            context.Report(ContainerRuleCodes.NotRecognised, member, null,
                $"not a recognised artifact (starts with {Convert.ToHexString(head[..Math.Min(8, head.Length)])}); nothing was checked");
            return;
        }

        node.Format = ContainerFormat.Data;
    }

    /// <summary>
    /// A tar header is 512 bytes with a checksum, and a pickle can be one (its first opcodes in the name field, the rest
    /// of the header inside a bytes argument). torch.load reads such a file as a tar, but pickle.load, joblib.load and
    /// np.load(allow_pickle=True) unpickle it: when the file reads as a pickle, scan that view too.
    /// </summary>
    private void ScanPickleViewOfTar(ScanContext context, Stream content, ContainerNode node, string? member)
    {
        if (!content.CanSeek)
        {
            return;
        }

        content.Position = 0;
        bool isPickle = pickles.ReadsAsPickle(content);
        content.Position = 0;
        if (isPickle)
        {
            ScanPickle(context, content, node.Add(ContainerFormat.Pickle, "(the same bytes read as a pickle)", 0, null), member);
        }
    }

    private bool TryScanAsPickle(ScanContext context, Stream content, ReadOnlySpan<byte> head, ContainerNode node, string? member)
    {
        // A seekable stream is probed whole; a decoded one by its head (the bytes already peeked).
        bool isPickle;
        if (content.CanSeek)
        {
            content.Position = 0;
            isPickle = pickles.ReadsAsPickle(content);
            content.Position = 0;
        }
        else
        {
            isPickle = pickles.ReadsAsPickle(new MemoryStream(head.ToArray(), writable: false));
        }

        if (!isPickle)
        {
            return false;
        }

        ScanPickle(context, content, node, member);
        node.Note = "no known magic; reads as a pickle";
        return true;
    }

    /// <summary>safetensors: an 8-byte little-endian header length, then a JSON object.</summary>
    private static bool IsSafetensorsHead(ReadOnlySpan<byte> head) =>
        head.Length > 9 && System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(head) is > 1 and < (1UL << 32) && head[8] == (byte)'{';

    /// <summary>
    /// Names that loaders unpickle whatever the first bytes are (a protocol 0/1 pickle may start with any opcode, so
    /// the sniffer alone must not decide): the usual pickle and model extensions, or none, under any compression suffix.
    /// </summary>
    private static bool HasPickleName(string path)
    {
        var name = System.IO.Path.GetFileName(path).ToLowerInvariant();
        foreach (var suffix in (string[])[".gz", ".bz2", ".xz", ".lzma", ".zst", ".lz4", ".z"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        // .npy/.npz too: np.load unpickles a file that is neither an npy nor a zip. .sav/.model/.mdl: usual pickled-model names.
        return System.IO.Path.GetExtension(name) is "" or ".pkl" or ".pickle" or ".bin" or ".pt" or ".pth" or ".ckpt" or ".data"
            or ".dat" or ".joblib" or ".npy" or ".npz" or ".sav" or ".model" or ".mdl";
    }

    private static (Stream Content, byte[] Head) Peek(Stream stream)
    {
        var buffer = new byte[Magic.HeadLength];
        if (stream.CanSeek)
        {
            var start = stream.Position;
            var count = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            stream.Position = start;
            return (stream, buffer[..count]);
        }

        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return (new PrefixedStream(buffer, read, stream), buffer[..read]);
    }

    /// <summary>Inside tensor payloads only long magic numbers count, so random weights are never mistaken for a container.</summary>
    private static bool IsStrongSignature(ContainerFormat format, ReadOnlySpan<byte> head) => format switch
    {
        ContainerFormat.Zip or ContainerFormat.Npy or ContainerFormat.Xz or ContainerFormat.SevenZip or ContainerFormat.Zstd
            or ContainerFormat.Lz4Frame or ContainerFormat.Bzip2 or ContainerFormat.TorchLegacy or ContainerFormat.Tar => true,
        ContainerFormat.Gzip => head.Length >= 4 && head[2] == 8 && head[3] < 0x20,
        _ => head.Length >= 3 && Magic.IsProtocolHeader(head) && head[2] is 0x95 or (byte)'}' or (byte)']' or (byte)'(' or (byte)'c'
            or 0x93 or (byte)')',
    };

    private static bool IsDecodingFailure(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException);

    private static string FormatName(ContainerFormat format) => format.ToString().ToLowerInvariant();
}
