namespace PickleGuard.Analysis.Tests.Fixtures;

/// <summary>
/// Inline expectations of one fixture line, CodeQL style: <c># $ PG101=medium PG100=info</c>, <c># $ none</c>,
/// <c># $ MISSING: PG101=medium</c> (a known gap: must not be reported yet), <c># $ SPURIOUS: PG101=low</c>
/// (a known false positive: is reported).
/// </summary>
internal sealed record Expectations(IReadOnlySet<string> Expected, IReadOnlySet<string> Missing, IReadOnlySet<string> Spurious)
{
    private const string Marker = "# $ ";

    public static Expectations? Parse(string line)
    {
        var at = line.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }
        var expected = new HashSet<string>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var spurious = new HashSet<string>(StringComparer.Ordinal);
        var current = expected;
        foreach (var token in line[(at + Marker.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (token)
            {
                case "none": break;
                case "MISSING:": current = missing; break;
                case "SPURIOUS:": current = spurious; break;
                default: current.Add(token); break;
            }
        }
        return new Expectations(expected, missing, spurious);
    }
}
