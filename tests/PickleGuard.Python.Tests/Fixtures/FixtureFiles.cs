namespace PickleGuard.Python.Tests.Fixtures;

/// <summary>Locates the committed fixture files in the source tree.</summary>
internal static class FixtureFiles
{
    public static string Root { get; } = FindRoot();

    public static string Valid => Path.Combine(Root, "valid");

    public static IEnumerable<string> ValidNames() =>
        Directory.EnumerateFiles(Valid, "*.py").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "PickleGuard.Python.Tests", "Fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/PickleGuard.Python.Tests/Fixtures not found above " + AppContext.BaseDirectory);
    }
}
