using System.IO.Compression;

namespace PickleGuard.Python;

/// <summary>Resolves <c>\N{...}</c> names from the Unicode 15.1 name table (UnicodeNames.gz, made by
/// unicode_names.py), computed CJK names and the common aliases; -1 when unknown.</summary>
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
        if (key.StartsWith("CJK UNIFIED IDEOGRAPH-") && int.TryParse(key[22..], System.Globalization.NumberStyles.HexNumber, null, out int cjk))
        {
            return cjk;
        }

        if (Table.Value.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(key, out int codePoint))
        {
            return codePoint;
        }

        return key switch
        {
            "NULL" => 0x0000,
            "SPACE" => 0x0020,
            "NO-BREAK SPACE" => 0x00A0,
            "LINE FEED" or "LF" => 0x000A,
            "CARRIAGE RETURN" or "CR" => 0x000D,
            "CHARACTER TABULATION" or "TAB" => 0x0009,
            "ESCAPE" or "ESC" => 0x001B,
            "DELETE" or "DEL" => 0x007F,
            "BULLET" => 0x2022,
            "EM DASH" => 0x2014,
            "EN DASH" => 0x2013,
            "HORIZONTAL ELLIPSIS" => 0x2026,
            "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK" => 0x00AB,
            "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK" => 0x00BB,
            "LEFT SINGLE QUOTATION MARK" => 0x2018,
            "RIGHT SINGLE QUOTATION MARK" => 0x2019,
            "LEFT DOUBLE QUOTATION MARK" => 0x201C,
            "RIGHT DOUBLE QUOTATION MARK" => 0x201D,
            "GREEK SMALL LETTER ALPHA" => 0x03B1,
            "GREEK SMALL LETTER BETA" => 0x03B2,
            "GREEK SMALL LETTER PI" => 0x03C0,
            "GREEK CAPITAL LETTER OMEGA" => 0x03A9,
            "DEGREE SIGN" => 0x00B0,
            "MICRO SIGN" => 0x00B5,
            "EURO SIGN" => 0x20AC,
            "POUND SIGN" => 0x00A3,
            "COPYRIGHT SIGN" => 0x00A9,
            "REGISTERED SIGN" => 0x00AE,
            "ZERO WIDTH SPACE" => 0x200B,
            "ZERO WIDTH NO-BREAK SPACE" or "BYTE ORDER MARK" => 0xFEFF,
            "REPLACEMENT CHARACTER" => 0xFFFD,
            "LATIN SMALL LETTER E WITH ACUTE" => 0x00E9,
            "LATIN CAPITAL LETTER E WITH ACUTE" => 0x00C9,
            "LATIN SMALL LETTER SHARP S" => 0x00DF,
            "SNOWMAN" => 0x2603,
            "BLACK STAR" => 0x2605,
            "CHECK MARK" => 0x2713,
            "MULTIPLICATION SIGN" => 0x00D7,
            "DIVISION SIGN" => 0x00F7,
            "RIGHTWARDS ARROW" => 0x2192,
            "LEFTWARDS ARROW" => 0x2190,
            "INFINITY" => 0x221E,
            _ => -1,
        };
    }

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
