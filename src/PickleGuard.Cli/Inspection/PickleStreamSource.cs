using System.IO.Compression;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Cli.Inspection;

/// <summary>
/// The pickle streams of an artifact that <c>inspect</c> can show opcode by opcode: the file itself when it is a
/// pickle, the pickle members of a zip (PyTorch checkpoints, .npz), and a gzip-compressed pickle. Streams inside other
/// containers are covered by the scan's findings but not disassembled.
/// </summary>
internal sealed class PickleStreamSource
{
    /// <summary>Streams larger than this are not buffered for display.</summary>
    private const long MaxBytes = 64L << 20;

    private readonly Func<Stream> _open;

    private PickleStreamSource(string? member, Func<Stream> open)
    {
        Member = member;
        _open = open;
    }

    /// <summary>The archive member, or null for the file itself.</summary>
    public string? Member { get; }

    public static IEnumerable<PickleStreamSource> Find(string path, ContainerNode root)
    {
        switch (root.Format)
        {
            case ContainerFormat.Pickle or ContainerFormat.Joblib or ContainerFormat.TorchLegacy:
                yield return new PickleStreamSource(null, () => File.OpenRead(path));
                break;
            case ContainerFormat.Gzip when root.Children.Any(IsPickle):
                yield return new PickleStreamSource(null, () => new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
                break;
            case ContainerFormat.Zip or ContainerFormat.TorchZip or ContainerFormat.Npz:
                foreach (var member in root.Children.Where(IsPickle).Select(c => c.Name).Distinct(StringComparer.Ordinal))
                {
                    yield return new PickleStreamSource(member, () => OpenZipMember(path, member));
                }
                break;
        }
    }

    /// <summary>The stream's bytes (bounded), or null with the reason.</summary>
    public byte[]? Open(out string? problem)
    {
        try
        {
            using var stream = _open();
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    problem = $"larger than {MaxBytes >> 20} MB";
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            problem = null;
            return buffer.ToArray();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException)
        {
            problem = "the member cannot be opened with a standard zip/gzip reader (" + ex.Message + "); see the findings";
            return null;
        }
    }

    private static bool IsPickle(ContainerNode node) => node.Format is ContainerFormat.Pickle or ContainerFormat.Joblib;

    private static Stream OpenZipMember(string path, string member)
    {
        var archive = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read, leaveOpen: false);
        var entry = archive.GetEntry(member) ?? throw new InvalidDataException($"no entry named '{member}' in the central directory");
        return new OwningStream(entry.Open(), archive);
    }

    /// <summary>A member stream that also disposes its archive.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
