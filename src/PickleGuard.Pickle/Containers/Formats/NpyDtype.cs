using System.Globalization;
using System.Text;

namespace PickleGuard.Pickle.Containers.Formats;

/// <summary>
/// Decides whether a <c>.npy</c> header's <c>descr</c> (a string, a <c>(descr, shape)</c> tuple, or a list of fields, as
/// <c>numpy.lib.format.descr_to_dtype</c> reads it) can hold Python objects, in which case <c>np.load</c> unpickles the
/// payload. Default-deny: only type strings known to be plain data are plain; <c>'O'</c>, <c>'object'</c>, comma
/// strings with an object part, subarrays of objects, and anything not understood count as objects.
/// </summary>
internal static class NpyDtype
{
    private const int MaxDepth = 32;

    // Type strings np.save writes (dtype.str) and the one-letter codes dtype() accepts, none of which is an object type.
    private static readonly HashSet<char> PlainKinds = ['?', 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'p', 'P', 'n', 'N', 'e', 'f', 'd', 'g',
        'F', 'D', 'G', 'S', 'U', 'V', 'a', 'c', 'u'];

    private static readonly HashSet<string> PlainNames = new(StringComparer.Ordinal)
    {
        "bool", "bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32", "float64",
        "float128", "complex64", "complex128", "complex256", "half", "single", "double", "longdouble", "int", "float", "complex",
        "str", "str_", "bytes", "bytes_", "void", "unicode", "intp", "uintp", "byte", "ubyte", "short", "ushort", "intc", "uintc",
        "long", "ulong", "longlong", "ulonglong", "datetime64", "timedelta64",
    };

    /// <summary>True when the dtype may hold Python objects (or is not understood): its payload is then a pickle.</summary>
    public static bool MayHoldObjects(object? descr) => MayHoldObjects(descr, 0);

    private static bool MayHoldObjects(object? descr, int depth)
    {
        if (depth > MaxDepth)
        {
            return true;
        }

        switch (descr)
        {
            case string text:
                return TypeStringMayHoldObjects(text);
            case LiteralTuple { Items.Count: 2 } subarray:
                // (base, shape): a subarray of the base type.
                return MayHoldObjects(subarray.Items[0], depth + 1);
            case LiteralList fields:
                foreach (var field in fields.Items)
                {
                    // (name, descr) or (name, descr, shape); the name may be a (title, name) pair.
                    if (field is not LiteralTuple { Items.Count: 2 or 3 } tuple || MayHoldObjects(tuple.Items[1], depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return true;
        }
    }

    private static bool TypeStringMayHoldObjects(string text)
    {
        // 'i4,O' is a structured dtype with one field per comma-separated part; '(2,3)f8' and '3f8' are subarrays.
        foreach (var rawPart in SplitTopLevelCommas(text))
        {
            var part = StripRepeat(rawPart.Trim());
            if (!IsPlainTypeString(part))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlainTypeString(string s)
    {
        if (PlainNames.Contains(s))
        {
            return true;
        }

        if (s.StartsWith("datetime64[", StringComparison.Ordinal) || s.StartsWith("timedelta64[", StringComparison.Ordinal))
        {
            return IsDateUnit(s[(s.IndexOf('[', StringComparison.Ordinal) + 1)..]);
        }

        var body = s.Length > 0 && s[0] is '<' or '>' or '|' or '=' ? s[1..] : s;
        if (body.Length == 0)
        {
            return false;
        }

        if (body[0] is 'm' or 'M')
        {
            // datetime64/timedelta64: 'M8', 'M8[ns]', 'm8[25s]', or the bare letter.
            var rest = body[1..];
            if (rest.StartsWith('8'))
            {
                rest = rest[1..];
            }

            return rest.Length == 0 || (rest[0] == '[' && IsDateUnit(rest[1..]));
        }

        return PlainKinds.Contains(body[0]) && !body.AsSpan(1).ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsDateUnit(string rest)
    {
        // '25s]' / 'ns]' / 'generic]': an optional multiplier, letters (or µ), and the closing bracket at the end.
        if (!rest.EndsWith(']'))
        {
            return false;
        }

        var unit = rest[..^1].TrimStart("0123456789".ToCharArray());
        return unit.Length > 0 && unit.All(c => char.IsAsciiLetter(c) || c == 'μ' || c == 'µ');
    }

    private static string StripRepeat(string part)
    {
        if (part.StartsWith('('))
        {
            int close = part.IndexOf(')', StringComparison.Ordinal);
            return close < 0 ? part : part[(close + 1)..].TrimStart();
        }

        int digits = 0;
        while (digits < part.Length && char.IsAsciiDigit(part[digits]))
        {
            digits++;
        }

        return part[digits..].TrimStart();
    }

    private static IEnumerable<string> SplitTopLevelCommas(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(' or '[': depth++; break;
                case ')' or ']': depth--; break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    /// <summary>A short Python-like rendering of a descr for messages.</summary>
    public static string Format(object? value)
    {
        var builder = new StringBuilder();
        Append(builder, value, 0);
        return builder.Length > 200 ? builder.ToString(0, 200) + "…" : builder.ToString();
    }

    private static void Append(StringBuilder builder, object? value, int depth)
    {
        if (depth > MaxDepth || builder.Length > 200)
        {
            builder.Append('…');
            return;
        }

        switch (value)
        {
            case null: builder.Append("None"); break;
            case string s: char q = s.Contains('\'') && !s.Contains('"') ? '"' : '\''; builder.Append(q).Append(s).Append(q); break;
            case LiteralBytes b: builder.Append("b'").Append(b.Latin1).Append('\''); break;
            case bool flag: builder.Append(flag ? "True" : "False"); break;
            case long n: builder.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case LiteralBigInt big: builder.Append(big.Digits); break;
            case LiteralTuple tuple: AppendItems(builder, tuple.Items, '(', ')', depth); break;
            case LiteralList list: AppendItems(builder, list.Items, '[', ']', depth); break;
            default: builder.Append("{…}"); break;
        }
    }

    private static void AppendItems(StringBuilder builder, IReadOnlyList<object?> items, char open, char close, int depth)
    {
        builder.Append(open);
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Append(builder, items[i], depth + 1);
        }

        if (open == '(' && items.Count == 1)
        {
            builder.Append(',');
        }

        builder.Append(close);
    }
}
