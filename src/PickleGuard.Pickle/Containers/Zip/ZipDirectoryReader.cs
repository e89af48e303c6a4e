using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Pickle.Containers.Zip;

/// <summary>
/// Reads a zip's structure as leniently as <c>torch.load</c> (miniz) and Python's <c>zipfile</c> do: members come from the
/// central directory found from the end of the file, whatever their names, flags or CRCs, with ZIP64 and bytes before the
/// archive allowed. It also walks the local headers the way a streaming reader does, and records every place where the
/// two views disagree.
/// </summary>
internal static partial class ZipDirectoryReader
{
    private const uint LocalSignature = 0x04034B50;
    private const uint CentralSignature = 0x02014B50;
    private const uint EndSignature = 0x06054B50;
    private const uint Zip64EndSignature = 0x06064B50;
    private const uint Zip64LocatorSignature = 0x07064B50;
    private const uint DescriptorSignature = 0x08074B50;
    private const int MaxCentralDirectoryBytes = 256 << 20;

    public static ZipLayout Read(Stream stream, int maxEntries)
    {
        var layout = new ZipLayout();
        var length = stream.Length;
        if (!TryFindEnd(stream, length, out var end))
        {
            layout.Failure = "no end-of-central-directory record";
            return layout;
        }

        if (end.CommentPastEnd)
        {
            layout.Issues.Add((ContainerRuleCodes.ZipAmbiguousEntries,
                "the end-of-central-directory record declares a comment longer than the rest of the file; zip readers that search for the last end record still use it, so an earlier archive in the file is not what loaders read"));
        }

        if (end.RecordEnd < length)
        {
            layout.Issues.Add((ContainerRuleCodes.DataOutsideArchive, $"{length - end.RecordEnd} bytes after the end of the zip archive"));
        }

        // Bytes put before the archive shift every recorded offset; like zipfile, measure the shift from where the
        // central directory really ends (just before the end record).
        var shift = end.DirectoryEnd - end.DirectorySize - end.DirectoryOffset;
        if (shift != 0 && ReadUInt32At(stream, end.DirectoryOffset) == CentralSignature)
        {
            shift = 0;
        }

        var directoryStart = end.DirectoryOffset + shift;
        if (shift < 0 || end.DirectorySize > MaxCentralDirectoryBytes || directoryStart + end.DirectorySize > length ||
            ReadUInt32At(stream, directoryStart) != CentralSignature && end.EntryCount > 0)
        {
            layout.Failure = "the central directory is not where the end record says";
            return layout;
        }

        layout.ArchiveStart = shift;
        ReadCentralDirectory(stream, layout, directoryStart, end.DirectorySize, shift, maxEntries);
        ReadLocalHeaders(stream, layout);
        FindAmbiguities(layout);
        WalkLocalHeaders(stream, layout, shift, directoryStart, maxEntries);
        return layout;
    }

    private static void ReadCentralDirectory(Stream stream, ZipLayout layout, long start, long size, long shift, int maxEntries)
    {
        var directory = new byte[size];
        stream.Position = start;
        stream.ReadAtLeast(directory, directory.Length, throwOnEndOfStream: false);
        var span = directory.AsSpan();
        var pos = 0;
        while (pos + 46 <= span.Length && BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]) == CentralSignature)
        {
            if (layout.Entries.Count >= maxEntries)
            {
                layout.Issues.Add((ContainerRuleCodes.MemberLimit, $"more than {maxEntries} members; the rest are not scanned"));
                return;
            }

            var header = span[pos..];
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
            var variable = header[46..];
            nameLength = Math.Min(nameLength, variable.Length);
            extraLength = Math.Min(extraLength, variable.Length - nameLength);
            var name = DecodeName(variable[..nameLength]);
            ApplyZip64Extra(variable.Slice(nameLength, extraLength), ref uncompressed, ref compressed, ref offset);
            layout.Entries.Add(new ZipEntry(name, flags, method, crc, compressed, uncompressed, offset + shift));
            pos += 46 + nameLength + extraLength + commentLength;
        }
    }

    /// <summary>Reads each member's local header: where its data starts, and whether it agrees with the directory.</summary>
    private static void ReadLocalHeaders(Stream stream, ZipLayout layout)
    {
        Span<byte> header = stackalloc byte[30];
        for (var i = 0; i < layout.Entries.Count; i++)
        {
            var entry = layout.Entries[i];
            if (!ReadAt(stream, entry.LocalHeaderOffset, header) || BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalSignature)
            {
                layout.Issues.Add((ContainerRuleCodes.Unscannable, $"member '{entry.Name}': no local header at offset {entry.LocalHeaderOffset}"));
                continue;
            }

            var local = ParseLocalHeader(stream, header, entry.LocalHeaderOffset);
            entry = entry with
            {
                DataOffset = local.DataOffset,
                LocalName = local.Name == entry.Name ? null : local.Name,
            };
            if (entry.LocalName is not null)
            {
                layout.Issues.Add((ContainerRuleCodes.ZipHeaderMismatch,
                    $"member '{entry.Name}': its local header names it '{entry.LocalName}'"));
            }

            var sizesKnown = !local.HasDataDescriptor && local.CompressedSize != uint.MaxValue;
            if (local.Method != entry.Method || (sizesKnown && local.CompressedSize != entry.CompressedSize))
            {
                layout.Issues.Add((ContainerRuleCodes.ZipHeaderMismatch,
                    $"member '{entry.Name}': local header says method {local.Method}, {local.CompressedSize} bytes; " +
                    $"central directory says method {entry.Method}, {entry.CompressedSize} bytes"));
                entry = entry with { LocalView = local with { Name = entry.Name + " (local header view)" } };
            }

            layout.Entries[i] = entry;
        }
    }

    private static ZipEntry ParseLocalHeader(Stream stream, ReadOnlySpan<byte> header, long offset)
    {
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        var method = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
        long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
        long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        var variable = new byte[nameLength + extraLength];
        ReadAt(stream, offset + 30, variable);
        var name = DecodeName(variable.AsSpan(0, nameLength));
        long ignoredOffset = 0;
        ApplyZip64Extra(variable.AsSpan(nameLength), ref uncompressed, ref compressed, ref ignoredOffset);
        return new ZipEntry(name, flags, method, crc, compressed, uncompressed, offset)
        {
            DataOffset = offset + 30 + nameLength + extraLength,
        };
    }

    // ZIP64 extended information (header 0x0001): 8-byte fields, present only for the 32-bit fields that are all ones.
    private static void ApplyZip64Extra(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long offset)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            int size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            var data = extra[4..Math.Min(extra.Length, 4 + size)];
            if (id == 0x0001)
            {
                if (uncompressed == uint.MaxValue && data.Length >= 8)
                {
                    uncompressed = BinaryPrimitives.ReadInt64LittleEndian(data);
                    data = data[8..];
                }

                if (compressed == uint.MaxValue && data.Length >= 8)
                {
                    compressed = BinaryPrimitives.ReadInt64LittleEndian(data);
                    data = data[8..];
                }

                if (offset == uint.MaxValue && data.Length >= 8)
                {
                    offset = BinaryPrimitives.ReadInt64LittleEndian(data);
                }

                return;
            }

            extra = extra[Math.Min(extra.Length, 4 + size)..];
        }
    }

    private static string DecodeName(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
