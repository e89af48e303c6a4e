using System.Buffers;
using System.Text;

namespace PickleGuard.Python;

/// <summary>Decoded source text with a lazily built line map.</summary>
public sealed class SourceText
{
    private int[]? _lineStarts;

    /// <summary>Whether <see cref="Text"/> holds a character outside ASCII: 0 not known yet, 1 no, 2 yes.</summary>
    private int _nonAscii;

    private SourceText(string path, string text, IReadOnlyList<SyntaxDiagnostic> decodeDiagnostics)
    {
        Path = path;
        Text = text;
        DecodeDiagnostics = decodeDiagnostics;
    }

    public string Path { get; }

    public string Text { get; }

    public IReadOnlyList<SyntaxDiagnostic> DecodeDiagnostics { get; }

    /// <summary>Decodes bytes as CPython does: UTF-8 BOM, PEP 263 coding cookie, UTF-8 by default.
    /// Undecodable bytes become U+FFFD and a diagnostic; never throws.</summary>
    public static SourceText From(ReadOnlySpan<byte> bytes, string path)
    {
        var diagnostics = new List<SyntaxDiagnostic>();
        string text = SourceDecoder.Decode(bytes, diagnostics);
        return new SourceText(path ?? string.Empty, text, diagnostics);
    }

    /// <summary>Wraps already decoded text.</summary>
    public static SourceText FromString(string text, string path = "") =>
        new(path, text ?? string.Empty, Array.Empty<SyntaxDiagnostic>());

    public int LineCount => LineStarts.Length;

    /// <summary>Whether the text holds a character outside ASCII; found on first use (threads that race find the same).</summary>
    public bool HasNonAscii
    {
        get
        {
            if (_nonAscii == 0)
            {
                _nonAscii = Text.AsSpan().ContainsAnyInRange((char)0x80, char.MaxValue) ? 2 : 1;
            }

            return _nonAscii == 2;
        }
    }

    private int[] LineStarts => _lineStarts ??= BuildLineStarts(Text);

    /// <summary>The line and columns of a char offset; offsets outside the text are clamped.</summary>
    public LinePosition GetLinePosition(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int[] starts = LineStarts;
        int index = Array.BinarySearch(starts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        int lineStart = starts[index];
        return new LinePosition(index + 1, offset - lineStart, Utf8Length(Text.AsSpan(lineStart, offset - lineStart)));
    }

    /// <summary>The text of a 1-based line without its line break; empty when out of range.</summary>
    public string GetLineText(int line)
    {
        int[] starts = LineStarts;
        if (line < 1 || line > starts.Length)
        {
            return string.Empty;
        }

        int start = starts[line - 1];
        int end = line < starts.Length ? starts[line] : Text.Length;
        while (end > start && (Text[end - 1] == '\n' || Text[end - 1] == '\r'))
        {
            end--;
        }

        return Text.Substring(start, end - start);
    }

    private static int Utf8Length(ReadOnlySpan<char> chars)
    {
        int bytes = 0;
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            if (c < 0x80)
            {
                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                bytes += 4;
                i++;
            }
            else
            {
                bytes += 3;
            }
        }

        return bytes;
    }

    private static int[] BuildLineStarts(string text)
    {
        // Line breaks are \n, \r\n and a lone \r, found by a vectorized search, not char by char (the taint engine asks
        // for lines of modules no finding is in). One pass into a pooled buffer and one copy at the exact size: counting
        // the breaks first to size the array took two more passes over the text.
        ReadOnlySpan<char> span = text;
        int[] buffer = ArrayPool<int>.Shared.Rent(span.Length / 32 + 16);
        buffer[0] = 0;
        int line = 1;
        for (int i = span.IndexOfAny('\n', '\r'); i >= 0; i = NextBreak(span, i + 1))
        {
            if (span[i] == '\r' && i + 1 < span.Length && span[i + 1] == '\n')
            {
                i++;
            }

            if (line == buffer.Length)
            {
                int[] larger = ArrayPool<int>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan().CopyTo(larger);
                ArrayPool<int>.Shared.Return(buffer);
                buffer = larger;
            }

            buffer[line++] = i + 1;
        }

        int[] starts = buffer.AsSpan(0, line).ToArray();
        ArrayPool<int>.Shared.Return(buffer);
        return starts;
    }

    private static int NextBreak(ReadOnlySpan<char> text, int from) =>
        text[from..].IndexOfAny('\n', '\r') is >= 0 and var next ? from + next : -1;
}
