namespace PickleGuard.Pickle.Conversion;

/// <summary>
/// Why a pickle was not converted: the rule that fired (a scan finding such as PG201, or PGC01/PGC02 of the
/// converter), the global involved if any, and where.
/// </summary>
/// <param name="Code">Rule code: a PG2xx scan rule, or <c>PGC01</c> (cannot be represented) / <c>PGC02</c> (which pickle to convert is ambiguous).</param>
/// <param name="Global">Dotted name of the offending global, when there is one.</param>
/// <param name="Where">File, archive member and byte offset in that member's pickle stream, when known.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record ConversionRefusal(string Code, string? Global, Core.Location Where, string Message)
{
    public override string ToString()
    {
        var offset = Where.ByteOffset is { } at ? $" offset {at}" : "";
        var global = Global is null ? "" : $" [{Global}]";
        return $"{Where.DisplayPath}{offset}: {Code}{global}: {Message}";
    }
}
