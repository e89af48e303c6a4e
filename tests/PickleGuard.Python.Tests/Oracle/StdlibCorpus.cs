namespace PickleGuard.Python.Tests.Oracle;

/// <summary>The .py files of a CPython standard library directory, site-packages excluded.</summary>
internal static class StdlibCorpus
{
    internal sealed record CorpusFile(string FullPath, string RelativePath, long Size);

    public static List<CorpusFile> Enumerate(string root) =>
        Directory.EnumerateFiles(root, "*.py", SearchOption.AllDirectories)
            .Select(full => (full, relative: Path.GetRelativePath(root, full).Replace('\\', '/')))
            .Where(f => !f.relative.Split('/').Contains("site-packages"))
            .OrderBy(f => f.relative, StringComparer.Ordinal)
            .Select(f => new CorpusFile(f.full, f.relative, new FileInfo(f.full).Length))
            .ToList();
}
