namespace PickleGuard.Python;

/// <summary>Entry point: parses Python 3.0–3.14 (and reads Python 2 forms) without ever throwing.</summary>
public static class PythonParser
{
    public static ParseResult Parse(SourceText source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var diagnostics = new DiagnosticBag();
        diagnostics.Items.AddRange(source.DecodeDiagnostics);
        Token[] tokens = Lexer.Tokenize(source.Text, diagnostics, out int count);
        var parser = new Parser(source.Text, tokens, count, diagnostics);
        ModuleNode module = parser.ParseModule();
        System.Buffers.ArrayPool<Token>.Shared.Return(tokens);
        diagnostics.Items.Sort((a, b) => a.Span.Start.CompareTo(b.Span.Start));
        return new ParseResult(source, module, diagnostics.Items.ToArray());
    }

    /// <summary>Parses already decoded text.</summary>
    public static ParseResult Parse(string text, string path = "") => Parse(SourceText.FromString(text, path));
}
