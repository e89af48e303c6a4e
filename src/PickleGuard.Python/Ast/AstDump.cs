namespace PickleGuard.Python;

/// <summary>Prints a tree in the normalized one-line format of docs/ast-dump-format.md, the contract with
/// the CPython oracle (tests/oracle/ast_dump.py).</summary>
public static class AstDump
{
    public static string Format(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var writer = new AstDumpWriter(result.Source);
        result.Module.Accept(writer);
        return writer.ToString();
    }
}
