namespace PickleGuard.Python;

/// <summary>The tree and every diagnostic (decoding first, then syntax) for one source.</summary>
public sealed class ParseResult
{
    internal ParseResult(SourceText source, ModuleNode module, IReadOnlyList<SyntaxDiagnostic> diagnostics, NameFilter names)
    {
        Source = source;
        Module = module;
        Diagnostics = diagnostics;
        Names = names;
    }

    public SourceText Source { get; }

    public ModuleNode Module { get; }

    public IReadOnlyList<SyntaxDiagnostic> Diagnostics { get; }

    /// <summary>The names the tree holds, to rule a name out without searching the text (<see cref="NameFilter"/>).</summary>
    public NameFilter Names { get; }

    /// <summary>True when there is a diagnostic that is not about a Python 2 form.</summary>
    public bool HasSyntaxErrors
    {
        get
        {
            foreach (SyntaxDiagnostic diagnostic in Diagnostics)
            {
                if (!diagnostic.IsPython2)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
