using System.Globalization;
using System.Numerics;

namespace PickleGuard.Pickle.Reading;

/// <summary>
/// Number parsing exactly as CPython's C unpickler does it. INT uses C <c>strtol(s, &amp;end, 0)</c> (so <c>0x10</c> is
/// hex and <c>010</c> is octal), falls back to <c>int(s, 0)</c> on overflow, and a 2-character line whose value is 0
/// or 1 is a bool (<c>I00</c>/<c>I01</c>). LONG strips one trailing <c>L</c> and uses <c>int(s, 0)</c>.
/// GET/PUT use <c>int(s, 10)</c>.
/// </summary>
internal static class NumberParsing
{
    public static bool ParseIntLine(ReadOnlySpan<byte> line, ref PickleInstruction ins)
    {
        if (TryStrtolBase0(line, out long value))
        {
            ins.Integer = value;
            ins.IsBoolean = line.Length == 2 && value is 0 or 1;
            return true;
        }

        return TryPythonInt(line, 0, ref ins);
    }

    public static bool ParseLongLine(ReadOnlySpan<byte> line, ref PickleInstruction ins)
    {
        if (line.Length > 0 && line[^1] == (byte)'L')
        {
            line = line[..^1];
        }

        return TryPythonInt(line, 0, ref ins);
    }

    public static bool ParseMemoIndexLine(ReadOnlySpan<byte> line, ref PickleInstruction ins)
    {
        if (!TryPythonInt(line, 10, ref ins))
        {
            return false;
        }

        // An index that does not fit is simply never in the memo; keep it as "absent".
        if (ins.IsBigInteger)
        {
            ins.IsBigInteger = false;
            ins.Integer = long.MaxValue;
        }

        return true;
    }

    public static bool ParseFloatLine(ReadOnlySpan<byte> line, ref PickleInstruction ins)
    {
        var text = TextDecoding.DecodeLatin1(line);
        var lowered = text.ToLowerInvariant();
        string sign = lowered.StartsWith('-') ? "-" : "";
        string body = lowered.TrimStart('+', '-');
        if (body is "inf" or "infinity")
        {
            ins.Float = sign == "-" ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (body == "nan")
        {
            ins.Float = double.NaN;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out ins.Float);
    }

    /// <summary>Little-endian two's complement (LONG1/LONG4).</summary>
    public static void DecodeTwosComplement(ReadOnlySpan<byte> data, ref PickleInstruction ins)
    {
        if (data.Length <= 8)
        {
            long value = 0;
            for (int i = data.Length - 1; i >= 0; i--)
            {
                value = (value << 8) | data[i];
            }

            if (data.Length is > 0 and < 8 && (data[^1] & 0x80) != 0)
            {
                value -= 1L << (8 * data.Length);
            }

            ins.Integer = value;
            return;
        }

        var big = new BigInteger(data, isUnsigned: false, isBigEndian: false);
        ins.IsBigInteger = true;
        ins.Text = big.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>glibc <c>strtol</c> with base 0 over the line; the whole line (up to the newline) must be consumed.</summary>
    private static bool TryStrtolBase0(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        int i = 0;
        while (i < s.Length && IsCSpace(s[i]))
        {
            i++;
        }

        bool negative = false;
        if (i < s.Length && (s[i] == (byte)'+' || s[i] == (byte)'-'))
        {
            negative = s[i] == (byte)'-';
            i++;
        }

        int numberBase = 10;
        if (i < s.Length && s[i] == (byte)'0')
        {
            if (i + 2 < s.Length && (s[i + 1] | 0x20) == (byte)'x' && Digit(s[i + 2]) is >= 0 and < 16)
            {
                numberBase = 16;
                i += 2;
            }
            else
            {
                numberBase = 8;
            }
        }

        int start = i;
        ulong magnitude = 0;
        bool overflow = false;
        while (i < s.Length)
        {
            int d = Digit(s[i]);
            if (d < 0 || d >= numberBase)
            {
                break;
            }

            if (magnitude > (ulong.MaxValue - (ulong)d) / (ulong)numberBase)
            {
                overflow = true;
            }

            magnitude = unchecked((magnitude * (ulong)numberBase) + (ulong)d);
            i++;
        }

        // No digits: strtol returns 0 with end = start of input; CPython then accepts an empty line as 0.
        if (i == start && numberBase != 8)
        {
            return s.IsEmpty;
        }

        if (i != s.Length || overflow)
        {
            return false;
        }

        if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue)
        {
            return false;
        }

        value = negative ? unchecked(-(long)magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>Python's <c>int(text, base)</c> (base 0 or 10): whitespace around, sign, prefixes, single underscores between digits.</summary>
    private static bool TryPythonInt(ReadOnlySpan<byte> raw, int requestedBase, ref PickleInstruction ins)
    {
        var s = TrimPythonSpace(raw);
        bool negative = false;
        if (!s.IsEmpty && (s[0] == (byte)'+' || s[0] == (byte)'-'))
        {
            negative = s[0] == (byte)'-';
            s = s[1..];
        }

        int numberBase = requestedBase == 0 ? 10 : requestedBase;
        bool decimalWithoutPrefix = true;
        if (requestedBase == 0 && s.Length >= 2 && s[0] == (byte)'0')
        {
            switch (s[1] | 0x20)
            {
                case 'x': numberBase = 16; s = s[2..]; decimalWithoutPrefix = false; break;
                case 'o': numberBase = 8; s = s[2..]; decimalWithoutPrefix = false; break;
                case 'b': numberBase = 2; s = s[2..]; decimalWithoutPrefix = false; break;
            }

            // After a prefix, one underscore may come before the first digit.
            if (!decimalWithoutPrefix && !s.IsEmpty && s[0] == (byte)'_')
            {
                s = s[1..];
            }
        }

        if (s.IsEmpty || s[0] == (byte)'_' || s[^1] == (byte)'_')
        {
            return false;
        }

        BigInteger value = BigInteger.Zero;
        bool previousUnderscore = false;
        bool allZero = true;
        foreach (byte c in s)
        {
            if (c == (byte)'_')
            {
                if (previousUnderscore) return false;
                previousUnderscore = true;
                continue;
            }

            previousUnderscore = false;
            int d = Digit(c);
            if (d < 0 || d >= numberBase) return false;
            if (d != 0) allZero = false;
            value = (value * numberBase) + d;
        }

        // int('010', 0) is an error in Python 3: a leading zero needs a prefix unless the number is zero.
        if (requestedBase == 0 && decimalWithoutPrefix && s[0] == (byte)'0' && !allZero)
        {
            return false;
        }

        if (negative)
        {
            value = -value;
        }

        if (value >= long.MinValue && value <= long.MaxValue)
        {
            ins.Integer = (long)value;
        }
        else
        {
            ins.IsBigInteger = true;
            ins.Text = value.ToString(CultureInfo.InvariantCulture);
        }

        return true;
    }

    private static ReadOnlySpan<byte> TrimPythonSpace(ReadOnlySpan<byte> s)
    {
        int start = 0;
        int end = s.Length;
        while (start < end && IsCSpace(s[start])) start++;
        while (end > start && IsCSpace(s[end - 1])) end--;
        return s[start..end];
    }

    private static bool IsCSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private static int Digit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'Z' => c - 'A' + 10,
        _ => -1,
    };
}
