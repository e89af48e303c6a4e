using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using K4os.Compression.LZ4.Streams;
using PickleGuard.Pickle.Containers.Streams;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>A compressed stream around anything: decode it within the budget and scan what comes out.</summary>
    private void ScanCompressed(ScanContext context, Stream content, ContainerFormat format, ContainerNode node, string? member,
        int depth, ContentHint hint)
    {
        node.Format = format;
        var counting = CountingStream.OverBuffered(content);
        var decoded = new BudgetedStream(FormatName(format), OpenDecoder(format, counting), () => counting.BytesRead, context.Budget, limits);
        var child = node.Add(ContainerFormat.File, "(decoded)", 0, null);
        using (decoded)
        {
            ScanContent(context, decoded, child, member, depth + 1, hint == ContentHint.TensorData ? ContentHint.Member : hint);
        }

        child.Size ??= decoded.Produced;
        ReportStreamFault(context, decoded, format, member);
    }

    /// <summary>
    /// The pickle scanner never throws, so a limit or a decoding error hit while it was reading surfaces here, from the
    /// stream that recorded it.
    /// </summary>
    private static void ReportStreamFault(ScanContext context, BudgetedStream decoded, ContainerFormat format, string? member)
    {
        if (decoded.Fault is null || !context.IsNewFault(decoded.Fault))
        {
            return;
        }

        switch (decoded.Fault)
        {
            case ContainerLimitException limit:
                context.ReportOnce(ContainerRuleCodes.DecompressionLimit, member, decoded.Produced,
                    $"{limit.Message}; scanning stopped there");
                return;
            default:
                context.Report(ContainerRuleCodes.Unscannable, member, decoded.Produced,
                    $"decoding stopped after {decoded.Produced} bytes ({decoded.Fault.Message}); the rest was not scanned");
                return;
        }
    }

    private static Stream OpenDecoder(ContainerFormat format, Stream input) => format switch
    {
        ContainerFormat.Gzip => new GZipStream(input, CompressionMode.Decompress, leaveOpen: true),
        ContainerFormat.Zlib => new ZLibStream(input, CompressionMode.Decompress, leaveOpen: true),
        ContainerFormat.JoblibZlib => OpenJoblibZlib(input),
        ContainerFormat.Bzip2 => BZip2Stream.Create(input, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true),
        ContainerFormat.Xz => new ConcatenatedXzStream(input),
        ContainerFormat.LzmaAlone => OpenLzmaAlone(input),
        ContainerFormat.Zstd => new DecompressionStream(input, leaveOpen: true),
        ContainerFormat.Lz4Frame => LZ4Stream.Decode(input, leaveOpen: true),
        _ => throw new InvalidDataException($"no decoder for {format}"),
    };

    // joblib < 0.10: "ZF", the payload length as a hex literal padded to 19 characters, then one zlib stream. Files of
    // joblib <= 0.8.4 under Python 2 pad one character more, and joblib still loads them: it skips one space there (a
    // zlib stream never starts with one). Read as corrupt before, such a file's pickle went unscanned.
    private static Stream OpenJoblibZlib(Stream input)
    {
        Span<byte> header = stackalloc byte[21];
        input.ReadExactly(header);
        var text = System.Text.Encoding.ASCII.GetString(header[2..]).Trim();
        if (!text.StartsWith("0x", StringComparison.Ordinal) ||
            !long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidDataException("joblib ZF header has no hexadecimal length");
        }

        var next = input.ReadByte();
        var stream = next is ' ' or -1 ? input : new PrefixedStream([(byte)next], 1, input);
        return new ZLibStream(stream, CompressionMode.Decompress, leaveOpen: true);
    }

    // .lzma ("alone"): 5 property bytes, then the uncompressed size (all ones when unknown), then the LZMA stream.
    private static Stream OpenLzmaAlone(Stream input)
    {
        var header = new byte[13];
        input.ReadExactly(header);
        var size = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(5));
        return LzmaStream.Create(header[..5], input, -1, size);
    }

    /// <summary>Archives need random access: a non-seekable stream is copied to memory, or to a temporary file when large.</summary>
    private static Stream EnsureSeekable(ScanContext context, Stream content) => EnsureSeekable(context, content, null, false);

    /// <summary>
    /// Like <see cref="EnsureSeekable(ScanContext, Stream)"/>, but when decoding fails part-way (a truncated or corrupt
    /// stream) the failure is reported and the bytes decoded so far are kept, so a truncated malicious pickle still
    /// shows what it would call.
    /// </summary>
    private static Stream EnsureSeekableKeepingPartial(ScanContext context, Stream content, string? member) =>
        EnsureSeekable(context, content, member, true);

    private static Stream EnsureSeekable(ScanContext context, Stream content, string? member, bool keepPartial)
    {
        if (content.CanSeek)
        {
            return content;
        }

        var memory = new MemoryStream();
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = content.Read(buffer)) > 0)
            {
                memory.Write(buffer, 0, read);
                if (memory.Length > context.Limits.MaxBufferedBytes)
                {
                    return context.Own(SpillToFile(memory, content, buffer));
                }
            }
        }
        catch (Exception ex) when (keepPartial && memory.CanRead && IsDecodingFailure(ex) && context.IsNewFault(ex))
        {
            var message = $"decoding stopped after {memory.Length} bytes ({ex.Message}); only those bytes were scanned";
            if (ex is ContainerLimitException)
            {
                context.ReportOnce(ContainerRuleCodes.DecompressionLimit, member, memory.Length, message);
            }
            else
            {
                context.Report(ContainerRuleCodes.Unscannable, member, memory.Length, message);
            }
        }

        memory.Position = 0;
        return memory;
    }

    private static FileStream SpillToFile(MemoryStream memory, Stream content, byte[] buffer)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose);
        memory.Position = 0;
        memory.CopyTo(file);
        memory.Dispose();
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            file.Write(buffer, 0, read);
        }

        file.Position = 0;
        return file;
    }
}
