using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PickleGuard.Python;

/// <summary>Resolves <c>\N{...}</c> names (case-insensitively, as CPython) from the Unicode 15.1 name and
/// alias table (UnicodeNames.gz, made by unicode_names.py) and the computed CJK names; -1 when unknown.</summary>
internal static class UnicodeNames
{
    /// <summary>The decompressed table, "NAME&lt;TAB&gt;hex code point" lines sorted by name, searched in place: a
    /// dictionary of its 46,000 names would cost several times its size for the few escapes a scan meets.</summary>
    private static readonly Lazy<Table> Names = new(Load);

    public static int Lookup(ReadOnlySpan<char> name)
    {
        if (name.Length > 128)
        {
            return -1;
        }

        Span<char> upper = stackalloc char[Math.Min(name.Length, 128)];
        int length = name[..upper.Length].ToUpperInvariant(upper);
        ReadOnlySpan<char> key = upper[..length];
        if (key.StartsWith("CJK UNIFIED IDEOGRAPH-"))
        {
            ReadOnlySpan<char> hex = key[22..];
            return hex.Length is 4 or 5 && int.TryParse(hex, System.Globalization.NumberStyles.AllowHexSpecifier, null, out int cjk) && IsUnifiedIdeograph(cjk) ? cjk : -1;
        }

        // Every name in the table is ASCII.
        Span<byte> asciiKey = stackalloc byte[key.Length];
        return Ascii.FromUtf16(key, asciiKey, out _) == OperationStatus.Done ? Names.Value.Find(asciiKey) : -1;
    }

    /// <summary>The CJK unified ideograph blocks of Unicode 15.1, whose names are computed.</summary>
    private static bool IsUnifiedIdeograph(int c) =>
        c is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B739)
            or (>= 0x2B740 and <= 0x2B81D) or (>= 0x2B820 and <= 0x2CEA1) or (>= 0x2CEB0 and <= 0x2EBE0) or (>= 0x2EBF0 and <= 0x2EE5D)
            or (>= 0x30000 and <= 0x3134A) or (>= 0x31350 and <= 0x323AF);

    private static Table Load()
    {
        using Stream? resource = typeof(UnicodeNames).Assembly.GetManifestResourceStream("PickleGuard.Python.UnicodeNames.gz");
        if (resource == null)
        {
            return new Table([], []);
        }

        // A gzip stream ends with the length of its decompressed data (little-endian, modulo 2^32).
        Span<byte> trailer = stackalloc byte[4];
        resource.Seek(-4, SeekOrigin.End);
        resource.ReadExactly(trailer);
        resource.Position = 0;
        var text = new byte[BinaryPrimitives.ReadInt32LittleEndian(trailer)];
        using (var gzip = new GZipStream(resource, CompressionMode.Decompress))
        {
            gzip.ReadExactly(text);
        }

        var lineStarts = new int[text.AsSpan().Count((byte)'\n') + 1];
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lineStarts[line++] = i + 1;
            }
        }

        return new Table(text, lineStarts);
    }

    private sealed record Table(byte[] Text, int[] LineStarts)
    {
        /// <summary>Binary search over the sorted lines.</summary>
        public int Find(ReadOnlySpan<byte> key)
        {
            int low = 0;
            int high = LineStarts.Length - 1;
            while (low <= high)
            {
                int middle = low + ((high - low) / 2);
                int end = middle + 1 < LineStarts.Length ? LineStarts[middle + 1] - 1 : Text.Length;
                ReadOnlySpan<byte> line = Text.AsSpan(LineStarts[middle], end - LineStarts[middle]);
                int tab = line.IndexOf((byte)'\t');
                if (tab < 0)
                {
                    return -1;
                }

                int order = line[..tab].SequenceCompareTo(key);
                if (order == 0)
                {
                    return int.TryParse(line[(tab + 1)..], System.Globalization.NumberStyles.HexNumber, null, out int codePoint) ? codePoint : -1;
                }

                if (order < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return -1;
        }
    }
}
