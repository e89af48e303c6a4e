using System.Text;
using System.Text.Unicode;

namespace PickleGuard.Python;

/// <summary>Turns source bytes into text the way CPython's tokenizer does (BOM, PEP 263 cookie).</summary>
internal static class SourceDecoder
{
    public static string Decode(ReadOnlySpan<byte> data, List<SyntaxDiagnostic> diagnostics)
    {
        bool bom = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF;
        if (bom)
        {
            data = data[3..];
        }

        string? cookie = FindCodingCookie(data);
        Encoding encoding = Encoding.UTF8;
        if (cookie != null)
        {
            string normalName = NormalName(cookie);
            Encoding? named = EncodingFromName(normalName);
            if (named == null)
            {
                diagnostics.Add(new SyntaxDiagnostic(default, $"unknown encoding: {cookie}", false));
            }
            else if (bom && normalName != "utf-8")
            {
                // CPython accepts a BOM only with a cookie spelled utf-8 (even "utf8" is refused).
                diagnostics.Add(new SyntaxDiagnostic(default, $"encoding problem: {cookie} with BOM", false));
            }
            else
            {
                encoding = named;
            }
        }

        if (encoding != Encoding.UTF8)
        {
            return encoding.GetString(data);
        }

        if (Utf8.IsValid(data))
        {
            return Encoding.UTF8.GetString(data);
        }

        string text = Encoding.UTF8.GetString(data);
        int bad = FirstInvalidUtf8(data);
        int charOffset = Encoding.UTF8.GetCharCount(data[..bad]);
        diagnostics.Add(new SyntaxDiagnostic(new TextSpan(charOffset, 1),
            $"(unicode error) 'utf-8' codec can't decode byte 0x{data[bad]:x2} in position {bad}: invalid utf-8", false));
        return text;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> data)
    {
        int offset = 0;
        while (offset < data.Length)
        {
            if (System.Buffers.OperationStatus.Done != System.Text.Rune.DecodeFromUtf8(data[offset..], out _, out int consumed))
            {
                return offset;
            }

            offset += consumed;
        }

        return 0;
    }

    /// <summary>PEP 263: <c>^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)</c> on line 1, or on line 2 if line 1
    /// is blank or a comment.</summary>
    private static string? FindCodingCookie(ReadOnlySpan<byte> data)
    {
        for (int line = 0; line < 2 && data.Length > 0; line++)
        {
            int end = data.IndexOfAny((byte)'\n', (byte)'\r');
            ReadOnlySpan<byte> text = end < 0 ? data : data[..end];
            int i = 0;
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f'))
            {
                i++;
            }

            if (i < text.Length && text[i] == '#')
            {
                string? name = CookieInComment(text[i..]);
                if (name != null)
                {
                    return name;
                }
            }
            else if (i < text.Length)
            {
                return null;
            }

            if (end < 0)
            {
                return null;
            }

            int next = end + 1;
            if (data[end] == '\r' && next < data.Length && data[next] == '\n')
            {
                next++;
            }

            data = data[next..];
        }

        return null;
    }

    private static string? CookieInComment(ReadOnlySpan<byte> comment)
    {
        int at = comment.IndexOf("coding"u8);
        while (at >= 0)
        {
            int i = at + 6;
            if (i < comment.Length && (comment[i] == ':' || comment[i] == '='))
            {
                i++;
                while (i < comment.Length && (comment[i] == ' ' || comment[i] == '\t'))
                {
                    i++;
                }

                int start = i;
                while (i < comment.Length && (char.IsAsciiLetterOrDigit((char)comment[i]) || comment[i] is (byte)'-' or (byte)'_' or (byte)'.'))
                {
                    i++;
                }

                if (i > start)
                {
                    return Encoding.ASCII.GetString(comment[start..i]);
                }
            }

            int next = comment[(at + 1)..].IndexOf("coding"u8);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return null;
    }

    /// <summary>CPython's get_normal_name: "utf-8" and "utf-8-*" become "utf-8", the Latin-1 aliases
    /// "iso-8859-1"; anything else is kept (lower-cased, '_' as '-').</summary>
    private static string NormalName(string name)
    {
        string lower = name.ToLowerInvariant().Replace('_', '-');
        if (lower == "utf-8" || lower.StartsWith("utf-8-", StringComparison.Ordinal))
        {
            return "utf-8";
        }

        if (lower is "latin-1" or "iso-8859-1" or "iso-latin-1"
            || lower.StartsWith("latin-1-", StringComparison.Ordinal) || lower.StartsWith("iso-8859-1-", StringComparison.Ordinal)
            || lower.StartsWith("iso-latin-1-", StringComparison.Ordinal))
        {
            return "iso-8859-1";
        }

        return lower;
    }

    private static Encoding? EncodingFromName(string normalName)
    {
        switch (normalName)
        {
            case "utf-8" or "utf8" or "u8" or "utf" or "cp65001":
                return Encoding.UTF8;
            case "iso-8859-1" or "latin1" or "l1" or "latin" or "iso8859-1" or "8859" or "cp819":
                return Encoding.Latin1;
            case "ascii" or "us-ascii" or "646":
                return Encoding.ASCII;
        }

        // Python spells code pages "cp1252"/"windows-1252"/"koi8-r"/"iso8859-5"; .NET's code-page
        // provider knows the same encodings by number or by IANA name.
        string name = normalName.StartsWith("iso8859-", StringComparison.Ordinal) ? "iso-" + normalName[3..] : normalName;
        if (name.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(name.AsSpan(2), out int codePage))
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(codePage);
        }

        return CodePagesEncodingProvider.Instance.GetEncoding(name);
    }
}
