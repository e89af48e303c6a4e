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
        // Stable, so diagnostics at one offset keep the order in which they were found.
        SyntaxDiagnostic[] ordered = diagnostics.Items.Count < 2
            ? diagnostics.Items.ToArray()
            : diagnostics.Items.OrderBy(d => d.Span.Start).ToArray();
        return new ParseResult(source, module, ordered, parser.Names);
    }

    /// <summary>Parses already decoded text.</summary>
    public static ParseResult Parse(string text, string path = "") => Parse(SourceText.FromString(text, path));
}
