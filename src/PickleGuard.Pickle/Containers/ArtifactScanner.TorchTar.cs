using System.Buffers.Binary;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers.Formats;
using PickleGuard.Pickle.Containers.Streams;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>
    /// The <c>storages</c> and <c>tensors</c> members of torch's legacy tar format interleave pickles with raw records,
    /// as <c>torch.serialization.legacy_load</c> reads them: a count pickle, then per record an argument pickle followed
    /// by raw bytes (a storage: int64 element count and the elements; a tensor: int32 ndim, 4 unused bytes, sizes,
    /// strides and offset); <c>storages</c> ends with a storage-views pickle. Every pickle is scanned; raw bytes are skipped.
    /// </summary>
    private void ScanTorchTarRecords(ScanContext context, Stream data, ContainerNode node, string path, bool isStorages)
    {
        node.Format = ContainerFormat.TorchLegacy;
        var stream = EnsureSeekableKeepingPartial(context, data, path);
        var count = ScanStackedPickle(context, stream, node, path, "count", pickles);
        if (count is not { Kind: WalkValueKind.Integer, Integer: >= 0 })
        {
            return;
        }

        for (long i = 0; i < count.Integer; i++)
        {
            var record = ScanStackedPickle(context, stream, node, path, "record", pickles);
            if (record is null)
            {
                return;
            }

            var recordStart = stream.Position;
            var skipped = isStorages ? SkipStorage(stream, record) : SkipTensorHeader(stream);
            if (!skipped)
            {
                context.Report(ContainerRuleCodes.Unscannable, path, recordStart,
                    "legacy torch record could not be followed (unknown storage type or truncated data); the rest was not scanned");
                return;
            }

            node.Add(ContainerFormat.Data, "(raw record)", recordStart, stream.Position - recordStart);
        }

        if (isStorages)
        {
            ScanStackedPickle(context, stream, node, path, "storage views", pickles);
        }
    }

    /// <summary>
    /// Scans the pickle at the stream's position with <paramref name="scanner"/> and leaves the stream after it; null when
    /// it is malformed. The tar format's records keep the chosen profile alone: <c>torch.load(weights_only=True)</c> refuses
    /// that format, so it gives no list of what a checkpoint may hold.
    /// </summary>
    private WalkValue? ScanStackedPickle(ScanContext context, Stream stream, ContainerNode node, string? path, string label,
        IPickleStreamScanner scanner)
    {
        var start = stream.Position;
        var walk = PickleWalker.Walk(stream);
        var length = walk?.Length ?? stream.Length - start;
        node.Add(ContainerFormat.Pickle, $"({label} pickle)", start, length);
        var scan = scanner.Scan(new SubStream(stream, start, length), new Location(context.Path, Member: path));
        context.Findings.AddRange(scan.Findings.Select(f => Shift(f, offset => offset + start)));
        if (walk is null)
        {
            context.Report(ContainerRuleCodes.Unscannable, path, start,
                $"legacy torch {label} pickle is malformed, so where the next one starts is unknown; the rest was not scanned");
            return null;
        }

        stream.Position = start + length;
        return walk.Result;
    }

    private static bool SkipStorage(Stream stream, WalkValue record)
    {
        if (record.Items is not [_, _, { Kind: WalkValueKind.Global } storageType, ..] ||
            StorageElementSize(storageType.Text!) is not { } elementSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[8];
        if (stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) != 8)
        {
            return false;
        }

        var elements = BinaryPrimitives.ReadInt64LittleEndian(header);
        var end = elements >= 0 && elements <= stream.Length / elementSize ? stream.Position + (elements * elementSize) : -1;
        if (end < 0 || end > stream.Length)
        {
            return false;
        }

        stream.Position = end;
        return true;
    }

    private static bool SkipTensorHeader(Stream stream)
    {
        Span<byte> header = stackalloc byte[8];
        if (stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) != 8)
        {
            return false;
        }

        var dimensions = BinaryPrimitives.ReadInt32LittleEndian(header);
        var end = dimensions is >= 0 and <= 64 ? stream.Position + (16L * dimensions) + 8 : -1;
        if (end < 0 || end > stream.Length)
        {
            return false;
        }

        stream.Position = end;
        return true;
    }

    /// <summary>Bytes per element of a legacy storage class (<c>torch.FloatStorage</c>, <c>torch.cuda.HalfStorage</c>, ...).</summary>
    private static int? StorageElementSize(string storageClass)
    {
        var name = storageClass[(storageClass.LastIndexOf('.') + 1)..];
        return name switch
        {
            "DoubleStorage" or "LongStorage" or "ComplexFloatStorage" => 8,
            "FloatStorage" or "IntStorage" or "QInt32Storage" => 4,
            "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
            "CharStorage" or "ByteStorage" or "BoolStorage" or "QInt8Storage" or "QUInt8Storage" or "QUInt4x2Storage"
                or "QUInt2x4Storage" => 1,
            "ComplexDoubleStorage" => 16,
            _ => null,
        };
    }
}
