using System.Diagnostics;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// The one place the oracle tests call the parser's public API
/// (SourceText.From, PythonParser.Parse, AstDump.Format).
/// </summary>
internal static class ParserUnderTest
{
    /// <summary>Parses <paramref name="bytes"/>; the dump is made only when asked for.</summary>
    public static ParsedFile Parse(byte[] bytes, string path, bool withDump)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var text = SourceText.From(bytes, path);
            var result = PythonParser.Parse(text);
            int python2 = 0, other = 0;
            string? firstPython2 = null, firstOther = null;
            foreach (var diagnostic in result.Diagnostics)
            {
                var where = text.GetLinePosition(diagnostic.Span.Start);
                var described = $"{where.Line}:{where.Utf8Column}: {diagnostic.Message}";
                if (diagnostic.IsPython2)
                {
                    python2++;
                    firstPython2 ??= described;
                }
                else
                {
                    other++;
                    firstOther ??= described;
                }
            }
            var dump = withDump ? AstDump.Format(result) : null;
            return new ParsedFile(result.Module is not null, python2, other, firstPython2, firstOther, dump, null, clock.Elapsed);
        }
#pragma warning disable CA1031 // A crash on input is the very thing this harness reports.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new ParsedFile(false, 0, 0, null, null, null, $"{exception.GetType().Name}: {exception.Message}", clock.Elapsed);
        }
    }
}
