namespace PickleGuard.Python;

/// <summary>Collects diagnostics with a cap, so hostile input cannot produce millions of them.</summary>
internal sealed class DiagnosticBag
{
    private const int MaxDiagnostics = 1000;

    public List<SyntaxDiagnostic> Items { get; } = new();

    /// <summary>While set (the parser is skipping after a fatal nesting error), new errors are dropped.</summary>
    public bool Suppressed { get; set; }

    public void Add(TextSpan span, string message)
    {
        if (!Suppressed && Items.Count < MaxDiagnostics)
        {
            Items.Add(new SyntaxDiagnostic(span, message, false));
        }
    }

    public void AddPython2(TextSpan span, string message)
    {
        if (!Suppressed && Items.Count < MaxDiagnostics)
        {
            Items.Add(new SyntaxDiagnostic(span, message, true));
        }
    }
}
