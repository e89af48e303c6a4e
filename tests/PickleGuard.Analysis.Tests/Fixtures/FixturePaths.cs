namespace PickleGuard.Analysis.Tests.Fixtures;

internal static class FixturePaths
{
    /// <summary>tests/fixtures/code, found by walking up from the test binaries.</summary>
    public static string CodeRoot { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "code");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("tests/fixtures/code not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Each folder under tests/fixtures/code is one project, scanned as a whole.</summary>
    public static IEnumerable<string> Projects() => Directory.GetDirectories(CodeRoot).Order(StringComparer.Ordinal);
}
