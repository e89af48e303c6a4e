using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace PickleGuard.Python;

/// <summary>PEP 3131: identifiers are compared after NFKC. The build runs with invariant globalization
/// (no ICU), so the per-character NFKC forms of identifier characters come from an embedded table
/// (IdentifierNfkc.gz, made by unicode_names.py). Canonical composition across characters is not applied.</summary>
internal static class IdentifierNormalizer
{
    private static readonly Lazy<Dictionary<int, string>> Table = new(Load);

    public static string Normalize(string name)
    {
        Dictionary<int, string> table = Table.Value;
        StringBuilder? builder = null;
        for (int i = 0; i < name.Length; i++)
        {
            int codePoint = name[i];
            int width = 1;
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                codePoint = char.ConvertToUtf32(name[i], name[i + 1]);
                width = 2;
            }

            if (codePoint >= 0x80 && table.TryGetValue(codePoint, out string? normal))
            {
                builder ??= new StringBuilder(name, 0, i, name.Length);
                builder.Append(normal);
            }
            else
            {
                builder?.Append(name, i, width);
            }

            i += width - 1;
        }

        return builder?.ToString() ?? name;
    }

    private static Dictionary<int, string> Load()
    {
        var table = new Dictionary<int, string>(4096);
        using Stream? resource = typeof(IdentifierNormalizer).Assembly.GetManifestResourceStream("PickleGuard.Python.IdentifierNfkc.gz");
        if (resource == null)
        {
            return table;
        }

        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var builder = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            string[] parts = line.Split('\t');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int key))
            {
                continue;
            }

            builder.Clear();
            foreach (string hex in parts[1].Split(' '))
            {
                if (int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int value) && value <= 0x10FFFF)
                {
                    builder.Append(char.ConvertFromUtf32(value));
                }
            }

            table[key] = builder.ToString();
        }

        return table;
    }
}
