using System.Text;
using System.Text.Unicode;

namespace PickleGuard.Python;

/// <summary>Turns source bytes into text the way CPython's tokenizer does (BOM, PEP 263 cookie).</summary>
internal static class SourceDecoder
{
    public static string Decode(byte[] bytes, List<SyntaxDiagnostic> diagnostics)
    {
        ReadOnlySpan<byte> data = bytes;
        bool bom = data.StartsWith("\xEF\xBB\xBF"u8);
        if (bom)
        {
            data = data[3..];
        }

        string? cookie = FindCodingCookie(data);
        Encoding encoding = Encoding.UTF8;
        if (cookie != null)
        {
            Encoding? named = EncodingFromName(cookie);
            if (named == null)
            {
                diagnostics.Add(new SyntaxDiagnostic(default, $"unknown encoding: {cookie}", false));
            }
            else if (bom && named != Encoding.UTF8)
            {
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

    private static Encoding? EncodingFromName(string name)
    {
        string normalized = name.ToLowerInvariant().Replace('_', '-');
        if (normalized.StartsWith("utf-8", StringComparison.Ordinal) || normalized == "utf8")
        {
            return Encoding.UTF8;
        }

        if (normalized is "latin-1" or "iso-8859-1" or "iso8859-1" or "latin1" or "l1" or "iso-latin-1"
            || normalized.StartsWith("latin-1-", StringComparison.Ordinal) || normalized.StartsWith("iso-8859-1-", StringComparison.Ordinal))
        {
            return Encoding.Latin1;
        }

        if (normalized is "ascii" or "us-ascii")
        {
            return Encoding.ASCII;
        }

        // Windows-1252 and friends are close enough to Latin-1 for finding names and calls.
        if (normalized is "cp1252" or "windows-1252" or "iso-8859-15" or "latin-9" or "iso8859-15")
        {
            return Encoding.Latin1;
        }

        return null;
    }
}
