using System.Text;

namespace PickleGuard.Pickle.Reading;

/// <summary>The text codecs the unpickler applies to string arguments.</summary>
internal static class TextDecoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static string DecodeLatin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static bool IsAscii(ReadOnlySpan<byte> bytes) => System.Text.Ascii.IsValid(bytes);

    public static string? TryDecodeUtf8Strict(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Ascii.IsValid(bytes))
        {
            return Encoding.ASCII.GetString(bytes);
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>UTF-8 as CPython's "surrogatepass" handler reads it; undecodable bytes become U+FFFD.</summary>
    public static string DecodeUtf8SurrogatePass(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Ascii.IsValid(bytes))
        {
            return Encoding.ASCII.GetString(bytes);
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : DecodeWithSurrogates(bytes);
    }

    /// <summary>Keeps lone surrogates written as ED A0..BF 80..BF (what surrogatepass encodes them to) instead of replacing them.</summary>
    private static string DecodeWithSurrogates(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        int i = 0;
        while (i < bytes.Length)
        {
            if (IsEncodedSurrogate(bytes, i))
            {
                builder.Append((char)(0xD000 | ((bytes[i + 1] & 0x3F) << 6) | (bytes[i + 2] & 0x3F)));
                i += 3;
                continue;
            }

            int end = i + 1;
            while (end < bytes.Length && !IsEncodedSurrogate(bytes, end))
            {
                end++;
            }

            builder.Append(Encoding.UTF8.GetString(bytes[i..end]));
            i = end;
        }

        return builder.ToString();
    }

    private static bool IsEncodedSurrogate(ReadOnlySpan<byte> bytes, int i) =>
        i + 2 < bytes.Length && bytes[i] == 0xED && bytes[i + 1] is >= 0xA0 and <= 0xBF && bytes[i + 2] is >= 0x80 and <= 0xBF;

    /// <summary>raw-unicode-escape: only <c>\uXXXX</c> and <c>\UXXXXXXXX</c> are escapes; other bytes are Latin-1.</summary>
    public static string DecodeRawUnicodeEscape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (b == (byte)'\\' && i + 1 < bytes.Length && (bytes[i + 1] == (byte)'u' || bytes[i + 1] == (byte)'U'))
            {
                int digits = bytes[i + 1] == (byte)'u' ? 4 : 8;
                if (i + 2 + digits <= bytes.Length && TryHex(bytes.Slice(i + 2, digits), out int code) && code <= 0x10FFFF)
                {
                    AppendCodePoint(builder, code);
                    i += 1 + digits;
                    continue;
                }
            }

            builder.Append((char)b);
        }

        return builder.ToString();
    }

    /// <summary>Python 2 string-literal escapes (PyBytes_DecodeEscape); the result is Latin-1 text. Null when a \x escape is invalid.</summary>
    public static string? DecodeEscapes(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            if (b != (byte)'\\' || i + 1 >= bytes.Length)
            {
                builder.Append((char)b);
                continue;
            }

            byte e = bytes[++i];
            switch (e)
            {
                case (byte)'\n': break;
                case (byte)'\\': builder.Append('\\'); break;
                case (byte)'\'': builder.Append('\''); break;
                case (byte)'"': builder.Append('"'); break;
                case (byte)'b': builder.Append('\b'); break;
                case (byte)'f': builder.Append('\f'); break;
                case (byte)'t': builder.Append('\t'); break;
                case (byte)'n': builder.Append('\n'); break;
                case (byte)'r': builder.Append('\r'); break;
                case (byte)'v': builder.Append('\v'); break;
                case (byte)'a': builder.Append('\a'); break;
                case >= (byte)'0' and <= (byte)'7':
                {
                    int value = e - '0';
                    int count = 1;
                    while (count < 3 && i + 1 < bytes.Length && bytes[i + 1] >= '0' && bytes[i + 1] <= '7')
                    {
                        value = (value * 8) + (bytes[++i] - '0');
                        count++;
                    }

                    builder.Append((char)(value & 0xFF));
                    break;
                }

                case (byte)'x':
                    if (bytes.Length - i - 1 >= 2 && TryHex(bytes.Slice(i + 1, 2), out int hex))
                    {
                        builder.Append((char)hex);
                        i += 2;
                        break;
                    }

                    return null;
                default:
                    builder.Append('\\').Append((char)e);
                    break;
            }
        }

        return builder.ToString();
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte d in digits)
        {
            int v = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => d - 'A' + 10,
                _ => -1,
            };
            if (v < 0)
            {
                return false;
            }

            value = (value * 16) + v;
        }

        return true;
    }

    private static void AppendCodePoint(StringBuilder builder, int code)
    {
        if (code < 0x10000)
        {
            builder.Append((char)code);
        }
        else
        {
            builder.Append(char.ConvertFromUtf32(code));
        }
    }
}
