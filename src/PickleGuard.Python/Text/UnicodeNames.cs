using System.IO.Compression;

namespace PickleGuard.Python;

/// <summary>Resolves <c>\N{...}</c> names (case-insensitively, as CPython) from the Unicode 15.1 name and
/// alias table (UnicodeNames.gz, made by unicode_names.py) and the computed CJK names; -1 when unknown.</summary>
internal static class UnicodeNames
{
    private static readonly Lazy<Dictionary<string, int>> Table = new(Load);

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

        return Table.Value.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out int codePoint) ? codePoint : -1;
    }

    /// <summary>The CJK unified ideograph blocks of Unicode 15.1, whose names are computed.</summary>
    private static bool IsUnifiedIdeograph(int c) =>
        c is (>= 0x3400 and <= 0x4DBF) or (>= 0x4E00 and <= 0x9FFF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B739)
            or (>= 0x2B740 and <= 0x2B81D) or (>= 0x2B820 and <= 0x2CEA1) or (>= 0x2CEB0 and <= 0x2EBE0) or (>= 0x2EBF0 and <= 0x2EE5D)
            or (>= 0x30000 and <= 0x3134A) or (>= 0x31350 and <= 0x323AF);

    private static Dictionary<string, int> Load()
    {
        var table = new Dictionary<string, int>(47000, StringComparer.Ordinal);
        using Stream? resource = typeof(UnicodeNames).Assembly.GetManifestResourceStream("PickleGuard.Python.UnicodeNames.gz");
        if (resource == null)
        {
            return table;
        }

        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { } line)
        {
            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && int.TryParse(line.AsSpan(tab + 1), System.Globalization.NumberStyles.HexNumber, null, out int value))
            {
                table[line[..tab]] = value;
            }
        }

        return table;
    }
}
