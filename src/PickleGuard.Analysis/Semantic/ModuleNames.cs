namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// Dotted module names from file paths: a file's name is its stem prefixed by every enclosing folder that is a
/// package, i.e. holds an <c>__init__.py</c> among the scanned files (<c>Lib/json/decoder.py</c> → <c>json.decoder</c>).
/// Only the scanned files count, so names never reach above the scan root.
/// </summary>
public static class ModuleNames
{
    public static (string Name, bool IsPackage) Compute(string path, ISet<string> packageDirectories)
    {
        var full = Normalize(path);
        var directory = Directory(full);
        var stem = Stem(full);
        var isPackage = stem == "__init__";
        var parts = new List<string>();
        if (!isPackage)
        {
            parts.Add(stem);
        }
        var guard = 0;
        while (directory.Length > 0 && packageDirectories.Contains(directory) && guard++ < 256)
        {
            parts.Add(Stem(directory));
            directory = Directory(directory);
        }
        parts.Reverse();
        return (string.Join('.', parts), isPackage);
    }

    /// <summary>The folders that are packages: those holding an <c>__init__.py</c> among <paramref name="paths"/>.</summary>
    public static HashSet<string> PackageDirectories(IEnumerable<string> paths)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Normalize(path);
            if (Stem(full) == "__init__" && full.EndsWith(".py", StringComparison.Ordinal))
            {
                result.Add(Directory(full));
            }
        }
        return result;
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    private static string Directory(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "" : path[..slash];
    }

    private static string Stem(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        var dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }
}
