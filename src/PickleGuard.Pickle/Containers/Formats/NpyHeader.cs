using System.Buffers.Binary;
using System.Text;

namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// The header of a <c>.npy</c> file: magic, version, and a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (3,), }</c>, read as text (never evaluated).
/// </summary>
internal sealed record NpyHeader(int Major, int Minor, long PayloadOffset, string Descr, bool HasObject)
{
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>Reads the header from the stream's start; null with a reason when it is malformed.</summary>
    public static NpyHeader? Read(Stream stream, out string? problem)
    {
        problem = null;
        Span<byte> prefix = stackalloc byte[12];
        if (stream.ReadAtLeast(prefix[..10], 10, throwOnEndOfStream: false) != 10)
        {
            problem = "truncated header";
            return null;
        }

        int major = prefix[6], minor = prefix[7];
        long headerLength;
        long offset;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            offset = 10;
        }
        else if (major is 2 or 3 && stream.ReadAtLeast(prefix[10..], 2, throwOnEndOfStream: false) == 2)
        {
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
            offset = 12;
        }
        else
        {
            problem = $"unknown format version {major}.{minor}";
            return null;
        }

        if (headerLength > MaxHeaderLength)
        {
            problem = $"header of {headerLength} bytes";
            return null;
        }

        var bytes = new byte[headerLength];
        if (stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) != bytes.Length)
        {
            problem = "truncated header";
            return null;
        }

        // NumPy decodes the header (latin-1, or UTF-8 from version 3) and reads it with ast.literal_eval: read it the same way.
        var text = major == 3 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        var literal = PythonLiteral.Parse(text, out var error);
        if (literal is not LiteralDict dict)
        {
            problem = error is null ? "the header is not a dict" : $"the header is not a Python literal NumPy would accept as harmless ({error})";
            return null;
        }

        if (!dict.TryGet("descr", out var descr))
        {
            problem = "header has no 'descr'";
            return null;
        }

        return new NpyHeader(major, minor, offset + headerLength, NpyDtype.Format(descr), NpyDtype.MayHoldObjects(descr));
    }
}
