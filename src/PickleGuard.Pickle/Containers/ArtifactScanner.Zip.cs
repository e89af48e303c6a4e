using System.Buffers.Binary;
using System.IO.Compression;
using PickleGuard.Pickle.Containers.Streams;
using PickleGuard.Pickle.Containers.Zip;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.LZMA;
using SharpCompress.Compressors.Xz;
using ZstdSharp;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>Members up to this size have their CRC checked (tensor payloads are never read whole).</summary>
    private const long CrcCheckLimit = 16L << 20;

    private void ScanZip(ScanContext context, Stream archive, ContainerNode node, string? member, int depth, ContentHint hint)
    {
        var layout = ZipDirectoryReader.Read(archive, limits.MaxMembers);
        node.Format = ContainerFormat.Zip;
        if (layout.Failure is not null)
        {
            node.Note = layout.Failure;
            context.Report(ContainerRuleCodes.Unscannable, member, null, $"zip archive could not be read: {layout.Failure}");
            return;
        }

        ScanZipLayout(context, archive, layout, node, member, depth);
        if (layout.ArchiveStart > 0)
        {
            ScanBytesBeforeZip(context, archive, layout.ArchiveStart, node, member, depth, hint);
        }
    }

    /// <summary>A file whose head is not a zip but whose end is: bytes were put before the archive (a polyglot).</summary>
    private bool TryScanZipFoundFromEnd(ScanContext context, Stream content, ContainerNode node, string? member, int depth)
    {
        if (content.Length < 22)
        {
            return false;
        }

        var layout = ZipDirectoryReader.Read(content, limits.MaxMembers);
        if (layout.Failure is not null || layout.Entries.Count == 0)
        {
            return false;
        }

        node.Format = ContainerFormat.Zip;
        ScanZipLayout(context, content, layout, node, member, depth);
        var firstMember = layout.Entries.Min(e => e.LocalHeaderOffset);
        context.Report(ContainerRuleCodes.DataOutsideArchive, member, 0,
            $"{firstMember} bytes before the zip archive; a loader that reads the file from its start sees them, not the zip");
        return true;
    }

    private void ScanBytesBeforeZip(ScanContext context, Stream archive, long length, ContainerNode node, string? member,
        int depth, ContentHint hint)
    {
        context.Report(ContainerRuleCodes.DataOutsideArchive, member, 0,
            $"{length} bytes before the zip archive; a loader that reads the file from its start sees them, not the zip");
        var prefix = node.Add(ContainerFormat.File, "(bytes before zip)", 0, length);
        ScanContent(context, new SubStream(archive, 0, length), prefix, member, depth + 1,
            hint == ContentHint.Explicit ? ContentHint.Member : hint);
    }

    private void ScanZipLayout(ScanContext context, Stream archive, ZipLayout layout, ContainerNode node, string? member, int depth)
    {
        foreach (var (code, message) in layout.Issues)
        {
            context.Report(code, member, null, message);
        }

        if (layout.Entries.Exists(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal)))
        {
            node.Format = ContainerFormat.TorchZip;
        }

        var isTorchScript = false;
        if (layout.Entries.Find(IsTorchScriptMarker) is { } marker)
        {
            isTorchScript = true;
            context.Report(ContainerRuleCodes.Unscannable, member, null,
                $"'{marker.Name}' makes this a TorchScript archive: torch.load hands it to torch.jit.load, which compiles the TorchScript code under code/ and runs its __setstate__ methods while loading; that code is not analysed");
        }
        else if (layout.Entries.Count > 0 && layout.Entries.TrueForAll(e => e.Name.EndsWith(".npy", StringComparison.Ordinal)))
        {
            node.Format = ContainerFormat.Npz;
        }

        // The record torch.load unpickles itself, listed in the central directory it reads (a TorchScript archive goes to
        // torch.jit.load instead): only there is torch's weights-only list the right one to add.
        var checkpointRecords = new HashSet<ZipEntry>(isTorchScript ? [] : layout.Entries.Where(IsTorchCheckpointRecord),
            ReferenceEqualityComparer.Instance);
        var views = layout.Entries.Concat(layout.Entries.Where(e => e.LocalView is not null).Select(e => e.LocalView!))
            .Concat(layout.LocalOnlyEntries);
        foreach (var entry in views)
        {
            if (++context.Members > limits.MaxMembers)
            {
                context.ReportOnce(ContainerRuleCodes.MemberLimit, member, null,
                    $"more than {limits.MaxMembers} archive members; the rest are not scanned");
                return;
            }

            if (!entry.IsDirectory && entry.DataOffset >= 0)
            {
                ScanZipMember(context, archive, entry, node, member, depth,
                    checkpointRecords.Contains(entry) ? ContentHint.TorchCheckpointPickle : MemberHint(entry.Name));
            }
        }
    }

    private void ScanZipMember(ScanContext context, Stream archive, ZipEntry entry, ContainerNode node, string? member, int depth,
        ContentHint hint)
    {
        var path = ScanContext.Join(member, entry.Name);
        var child = node.Add(ContainerFormat.File, entry.Name, entry.DataOffset, entry.UncompressedSize);
        if (entry.IsEncrypted)
        {
            child.Note = "encrypted";
            context.Report(ContainerRuleCodes.Unscannable, path, null, "member is encrypted and cannot be scanned");
            return;
        }

        var raw = new SubStream(archive, entry.DataOffset, entry.CompressedSize);
        if (entry.Method == 0)
        {
            ScanWithCrc(context, raw, entry, child, path, depth, hint);
            return;
        }

        var counting = CountingStream.OverBuffered(raw);
        Stream? decoder = entry.Method switch
        {
            8 => new DeflateStream(counting, CompressionMode.Decompress, leaveOpen: true),
            12 => BZip2Stream.Create(counting, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: false),
            14 => OpenZipLzma(counting, entry),
            93 => new DecompressionStream(counting, leaveOpen: true),
            95 => new XZStream(counting),
            _ => null,
        };
        if (decoder is null)
        {
            child.Note = $"compression method {entry.Method}";
            context.Report(ContainerRuleCodes.Unscannable, path, null,
                $"member is compressed with method {entry.Method}, which PickleGuard cannot decode; it was not scanned");
            return;
        }

        using var decoded = new BudgetedStream($"zip method {entry.Method}", decoder, () => counting.BytesRead, context.Budget, limits);
        ScanWithCrc(context, decoded, entry, child, path, depth, hint);
        ReportStreamFault(context, decoded, ContainerFormat.Zip, path);
    }

    private void ScanWithCrc(ScanContext context, Stream content, ZipEntry entry, ContainerNode child, string path, int depth,
        ContentHint hint)
    {
        if (hint == ContentHint.TensorData || entry.UncompressedSize > CrcCheckLimit)
        {
            ScanContent(context, content, child, path, depth + 1, hint);
            return;
        }

        var crc = new CrcStream(content);
        ScanContent(context, crc, child, path, depth + 1, hint);
        try
        {
            crc.Drain();
        }
        catch (Exception ex) when (IsDecodingFailure(ex))
        {
            // A corrupt member must not end the scan of the others; its failure is reported once.
            ReportFault(context, ex, ContainerFormat.Zip, child, path);
            return;
        }

        if (crc.BytesRead == entry.UncompressedSize && crc.Crc != entry.Crc)
        {
            context.Report(ContainerRuleCodes.ChecksumMismatch, path, null,
                $"CRC-32 0x{entry.Crc:x8} recorded, 0x{crc.Crc:x8} computed: the member was changed after the archive was written");
        }
    }

    // Zip method 14: LZMA SDK version (2 bytes), properties size (2 bytes), the properties, then the LZMA stream
    // (APPNOTE 5.8.8). Python's zipfile reads it, so np.load reads an .npz written with it.
    private static Stream OpenZipLzma(Stream input, ZipEntry entry)
    {
        Span<byte> header = stackalloc byte[4];
        input.ReadExactly(header);
        var properties = new byte[BinaryPrimitives.ReadUInt16LittleEndian(header[2..])];
        input.ReadExactly(properties);
        return LzmaStream.Create(properties, input, entry.CompressedSize - 4 - properties.Length, entry.UncompressedSize);
    }

    /// <summary>torch.load dispatches to torch.jit.load when the archive holds a <c>constants.pkl</c> record (or TorchScript code).</summary>
    private static bool IsTorchScriptMarker(ZipEntry entry)
    {
        var slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
        var record = slash < 0 ? entry.Name : entry.Name[(slash + 1)..];
        return record == "constants.pkl" || (record.StartsWith("code/", StringComparison.Ordinal) && record.EndsWith(".py", StringComparison.Ordinal));
    }

    /// <summary>torch.save writes the pickle as <c>&lt;archive name&gt;/data.pkl</c>, and torch.load reads it there.</summary>
    private static bool IsTorchCheckpointRecord(ZipEntry entry) =>
        entry.Name.EndsWith("/data.pkl", StringComparison.Ordinal) && entry.Name.IndexOf('/') == entry.Name.Length - "/data.pkl".Length;

    /// <summary>
    /// What loaders do with a member, by its name: unpickle <c>*.pkl</c>/<c>*.pickle</c> (torch.load's <c>data.pkl</c>),
    /// never read torch's tensor payloads <c>data/N</c> as code.
    /// </summary>
    private static ContentHint MemberHint(string name)
    {
        if (name.EndsWith(".pkl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pickle", StringComparison.OrdinalIgnoreCase))
        {
            return ContentHint.Pickle;
        }

        var slash = name.LastIndexOf('/');
        var last = name.AsSpan(slash + 1);
        var parent = slash > 0 ? name.AsSpan(0, slash) : [];
        var isData = parent.EndsWith("data") && (parent.Length == 4 || parent[^5] == '/');
        return isData && last.Length > 0 && !last.ContainsAnyExceptInRange('0', '9') ? ContentHint.TensorData : ContentHint.Member;
    }
}
