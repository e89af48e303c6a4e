namespace PickleGuard.Pickle.Tests;

/// <summary>Finds tests/fixtures/pickles from the test output directory.</summary>
internal static class FixturePaths
{
    public static string PickleFixtures { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "pickles");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/fixtures/pickles not found above " + AppContext.BaseDirectory);
    }
}
