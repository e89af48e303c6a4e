using System.Buffers.Binary;

namespace PickleGuard.Pickle.Containers.Zip;

internal static partial class ZipDirectoryReader
{
    private readonly record struct EndRecord(long RecordEnd, long DirectoryEnd, long DirectoryOffset, long DirectorySize, long EntryCount)
    {
        /// <summary>The record's comment length runs past the end of the file (loaders use the record anyway).</summary>
        public bool CommentPastEnd { get; init; }
    }

    /// <summary>
    /// Finds the end-of-central-directory record (the last one in the final 64 KiB), following ZIP64 when needed. Like
    /// miniz (torch.load) and zipfile (np.load), the last signature wins even when its comment length is impossible.
    /// </summary>
    private static bool TryFindEnd(Stream stream, long length, out EndRecord end)
    {
        end = default;
        var tailLength = (int)Math.Min(length, 22 + 0xFFFF + 20);
        var tail = new byte[tailLength];
        var tailStart = length - tailLength;
        if (!ReadAt(stream, tailStart, tail))
        {
            return false;
        }

        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != EndSignature)
            {
                continue;
            }

            var record = tail.AsSpan(i);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(record[20..]);
            var position = tailStart + i;
            end = new EndRecord(
                Math.Min(position + 22 + commentLength, length),
                position,
                BinaryPrimitives.ReadUInt32LittleEndian(record[16..]),
                BinaryPrimitives.ReadUInt32LittleEndian(record[12..]),
                BinaryPrimitives.ReadUInt16LittleEndian(record[10..]))
            {
                CommentPastEnd = i + 22 + commentLength > tailLength,
            };
            if (i >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i - 20)) == Zip64LocatorSignature)
            {
                end = ReadZip64End(stream, end, position - 20, BinaryPrimitives.ReadInt64LittleEndian(tail.AsSpan(i - 12)));
            }

            return true;
        }

        return false;
    }

    private static EndRecord ReadZip64End(Stream stream, EndRecord end, long locatorPosition, long recordedOffset)
    {
        Span<byte> record = stackalloc byte[56];
        // The ZIP64 end record sits right before its locator; its recorded offset is wrong when bytes precede the archive.
        var position = locatorPosition - 56;
        if (!ReadAt(stream, position, record) || BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
        {
            position = recordedOffset;
            if (!ReadAt(stream, position, record) || BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndSignature)
            {
                return end;
            }
        }

        return end with
        {
            DirectoryEnd = position,
            EntryCount = BinaryPrimitives.ReadInt64LittleEndian(record[32..]),
            DirectorySize = BinaryPrimitives.ReadInt64LittleEndian(record[40..]),
            DirectoryOffset = BinaryPrimitives.ReadInt64LittleEndian(record[48..]),
        };
    }

    /// <summary>Duplicate names and members whose bytes overlap: readers that pick differently see different content.</summary>
    private static void FindAmbiguities(ZipLayout layout)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in layout.Entries)
        {
            if (!names.Add(entry.Name))
            {
                layout.Issues.Add((ContainerRuleCodes.ZipAmbiguousEntries, $"more than one member is named '{entry.Name}'"));
            }
        }

        var byOffset = layout.Entries.Where(e => e.DataOffset >= 0).OrderBy(e => e.LocalHeaderOffset).ToList();
        for (var i = 1; i < byOffset.Count; i++)
        {
            var previous = byOffset[i - 1];
            if (previous.DataOffset + previous.CompressedSize > byOffset[i].LocalHeaderOffset)
            {
                layout.Issues.Add((ContainerRuleCodes.ZipAmbiguousEntries,
                    $"members '{previous.Name}' and '{byOffset[i].Name}' overlap"));
            }
        }
    }

    /// <summary>
    /// Walks local headers from the start of the archive as a streaming reader would, and collects the members that the
    /// central directory does not list.
    /// </summary>
    private static void WalkLocalHeaders(Stream stream, ZipLayout layout, long start, long directoryStart, int maxEntries)
    {
        var known = new Dictionary<long, ZipEntry>();
        foreach (var entry in layout.Entries)
        {
            known.TryAdd(entry.LocalHeaderOffset, entry);
        }

        Span<byte> header = stackalloc byte[30];
        var position = start;
        for (var steps = 0; steps < maxEntries && position < directoryStart; steps++)
        {
            if (!ReadAt(stream, position, header) || BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalSignature)
            {
                return;
            }

            long dataEnd;
            if (known.TryGetValue(position, out var listed))
            {
                dataEnd = listed.DataOffset + listed.CompressedSize;
            }
            else
            {
                var local = ParseLocalHeader(stream, header, position);
                var size = local.CompressedSize;
                if (local.HasDataDescriptor && size == 0)
                {
                    // Size unknown until the descriptor: take everything up to the next header (deflate ends by itself).
                    size = FindNextSignature(stream, local.DataOffset, directoryStart) - local.DataOffset;
                }

                layout.LocalOnlyEntries.Add(local with { CompressedSize = size, Name = local.Name + " (local header only)" });
                layout.Issues.Add((ContainerRuleCodes.ZipAmbiguousEntries,
                    $"member '{local.Name}' at offset {position} has a local header but no central directory entry"));
                dataEnd = local.DataOffset + size;
            }

            position = SkipDataDescriptor(stream, dataEnd);
        }
    }

    private static long SkipDataDescriptor(Stream stream, long position)
    {
        var signature = ReadUInt32At(stream, position);
        if (signature is LocalSignature or CentralSignature)
        {
            return position;
        }

        if (signature == DescriptorSignature)
        {
            // 16 bytes, or 24 with ZIP64 sizes: whichever is followed by a header.
            var next = ReadUInt32At(stream, position + 16);
            return next is LocalSignature or CentralSignature ? position + 16 : position + 24;
        }

        return ReadUInt32At(stream, position + 12) is LocalSignature or CentralSignature ? position + 12 : position;
    }

    private static long FindNextSignature(Stream stream, long from, long limit)
    {
        var buffer = new byte[64 * 1024];
        var position = from;
        while (position < limit)
        {
            var count = (int)Math.Min(buffer.Length, limit - position);
            if (!ReadAt(stream, position, buffer.AsSpan(0, count)))
            {
                return limit;
            }

            var span = buffer.AsSpan(0, count);
            for (var i = span.IndexOf("PK"u8); i >= 0 && i + 4 <= count; )
            {
                var signature = BinaryPrimitives.ReadUInt32LittleEndian(span[i..]);
                if (signature is LocalSignature or CentralSignature or DescriptorSignature)
                {
                    return position + i;
                }

                var next = span[(i + 1)..].IndexOf("PK"u8);
                i = next < 0 ? -1 : i + 1 + next;
            }

            position += Math.Max(1, count - 3);
        }

        return limit;
    }

    private static uint ReadUInt32At(Stream stream, long position)
    {
        Span<byte> buffer = stackalloc byte[4];
        return ReadAt(stream, position, buffer) ? BinaryPrimitives.ReadUInt32LittleEndian(buffer) : 0;
    }

    private static bool ReadAt(Stream stream, long position, Span<byte> buffer)
    {
        if (position < 0 || position + buffer.Length > stream.Length)
        {
            return false;
        }

        stream.Position = position;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;
    }
}
