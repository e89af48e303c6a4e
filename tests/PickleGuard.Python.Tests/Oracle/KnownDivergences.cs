namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// The reasoned list of files on which the parser is allowed to disagree with CPython
/// (known-divergences.txt). Each entry is one line: <c>path kind reason…</c>; '#' starts a comment
/// line. A divergence not listed fails the conformance tests, and so does a listed one that no longer
/// diverges, so the list stays honest.
/// </summary>
internal sealed class KnownDivergences
{
    private readonly Dictionary<(string Path, DivergenceKind Kind), string> _reasons;

    private KnownDivergences(Dictionary<(string Path, DivergenceKind Kind), string> reasons) => _reasons = reasons;

    public IEnumerable<(string Path, DivergenceKind Kind, string Reason)> Entries =>
        _reasons.Select(e => (e.Key.Path, e.Key.Kind, e.Value));

    public bool Contains(string path, DivergenceKind kind) => _reasons.ContainsKey((path, kind));

    public static KnownDivergences Parse(IEnumerable<string> lines)
    {
        var reasons = new Dictionary<(string, DivergenceKind), string>();
        var lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
                throw new FormatException($"known-divergences.txt:{lineNumber}: want 'path kind reason', got '{line}'");
            if (!KindNames.TryParse(parts[1], out var kind))
                throw new FormatException($"known-divergences.txt:{lineNumber}: unknown kind '{parts[1]}' (one of {KindNames.All})");
            if (!reasons.TryAdd((parts[0], kind), parts[2]))
                throw new FormatException($"known-divergences.txt:{lineNumber}: '{parts[0]} {parts[1]}' is listed twice");
        }
        return new KnownDivergences(reasons);
    }

    public static KnownDivergences Load(string path) => Parse(File.ReadAllLines(path));
}
