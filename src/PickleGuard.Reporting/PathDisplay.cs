namespace PickleGuard.Reporting;

/// <summary>Shows paths relative to a base directory when they are below it, always with '/' separators.</summary>
public static class PathDisplay
{
    public static string Relative(string path, string baseDirectory)
    {
        if (path.Length == 0)
        {
            return path;
        }
        var full = Path.GetFullPath(path, baseDirectory);
        var relative = Path.GetRelativePath(baseDirectory, full);
        var below = relative != ".." && !relative.StartsWith("../", StringComparison.Ordinal)
            && !relative.StartsWith("..\\", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        var shown = below ? relative : full;
        return shown.Replace('\\', '/');
    }
}
