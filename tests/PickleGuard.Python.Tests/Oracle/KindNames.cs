namespace PickleGuard.Python.Tests.Oracle;

/// <summary>The kebab-case spelling of <see cref="DivergenceKind"/> used in known-divergences.txt.</summary>
internal static class KindNames
{
    private static readonly Dictionary<DivergenceKind, string> Names = new()
    {
        [DivergenceKind.RejectsValid] = "rejects-valid",
        [DivergenceKind.Python2OnValid] = "python2-on-valid",
        [DivergenceKind.AcceptsInvalid] = "accepts-invalid",
        [DivergenceKind.Python2Missed] = "python2-missed",
        [DivergenceKind.DumpMismatch] = "dump-mismatch",
        [DivergenceKind.Crash] = "crash",
    };

    public static string Of(DivergenceKind kind) => Names[kind];

    public static bool TryParse(string name, out DivergenceKind kind)
    {
        foreach (var (candidate, spelling) in Names)
        {
            if (spelling == name)
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    public static string All => string.Join(", ", Names.Values);
}
