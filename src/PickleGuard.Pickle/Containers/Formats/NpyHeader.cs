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

        var text = major == 3 ? Encoding.UTF8.GetString(bytes) : Encoding.Latin1.GetString(bytes);
        var descr = FindValue(text, "descr");
        if (descr is null)
        {
            problem = "header has no 'descr'";
            return null;
        }

        return new NpyHeader(major, minor, offset + headerLength, descr, TypeStrings(descr).Any(IsObjectTypeCode));
    }

    /// <summary>The literal text of <paramref name="key"/>'s value: up to the next comma or brace at nesting depth zero.</summary>
    private static string? FindValue(string dict, string key)
    {
        foreach (var quote in "'\"")
        {
            var at = dict.IndexOf(quote + key + quote, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var colon = dict.IndexOf(':', at + key.Length + 2);
            if (colon < 0)
            {
                return null;
            }

            var depth = 0;
            char? inString = null;
            for (var i = colon + 1; i < dict.Length; i++)
            {
                var c = dict[i];
                if (inString is { } open)
                {
                    inString = c == open ? null : inString;
                    continue;
                }

                switch (c)
                {
                    case '\'' or '"': inString = c; break;
                    case '(' or '[' or '{': depth++; break;
                    case ')' or ']' or '}' when depth > 0: depth--; break;
                    case ',' or '}' when depth == 0: return dict[(colon + 1)..i].Trim();
                }
            }

            return dict[(colon + 1)..].Trim();
        }

        return null;
    }

    private static IEnumerable<string> TypeStrings(string literal)
    {
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] is not ('\'' or '"'))
            {
                continue;
            }

            var end = literal.IndexOf(literal[i], i + 1);
            if (end < 0)
            {
                yield break;
            }

            // In a structured dtype [('name', 'type'), ...] a string right after '(' is a field name, not a type.
            var before = literal.AsSpan(0, i).TrimEnd();
            if (before.IsEmpty || before[^1] != '(')
            {
                yield return literal[(i + 1)..end];
            }

            i = end;
        }
    }

    // 'O', '|O', '<O8' ...: NumPy's object type code; np.save pickles any dtype that holds one.
    private static bool IsObjectTypeCode(string code)
    {
        var type = code.TrimStart('<', '>', '|', '=');
        return type.Length > 0 && type[0] == 'O' && !type.AsSpan(1).ContainsAnyExceptInRange('0', '9');
    }
}
