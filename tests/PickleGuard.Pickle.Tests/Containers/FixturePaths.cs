namespace PickleGuard.Pickle.Tests.Containers;

internal static class FixturePaths
{
    /// <summary>tests/fixtures/containers, found by walking up from the test binary.</summary>
    public static string Containers { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "containers");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/containers not found above " + AppContext.BaseDirectory);
    }
}
