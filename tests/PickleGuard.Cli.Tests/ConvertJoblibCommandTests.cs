namespace PickleGuard.Cli.Tests;

/// <summary><c>pickleguard convert</c> end to end on joblib dumps with in-band NumPy arrays (fixtures of gen_convert_joblib.py).</summary>
public sealed class ConvertJoblibCommandTests
{
    private static string Fixture(params string[] parts) =>
        Path.Combine([CliRunner.RepositoryRoot() ?? throw new DirectoryNotFoundException("no checkout"), "tests", "fixtures", "convert", .. parts]);

    [Theory]
    [InlineData("joblib_estimator_p4")]
    [InlineData("joblib_layouts_p2")]
    [InlineData("joblib_object_array_p5")]
    public void ConvertsAJoblibDumpToTheExpectedJsonFile(string name)
    {
        using var temp = new TempDir();
        var output = temp.Path_("out.json");

        var result = CliRunner.Run("convert", Fixture(name + ".joblib"), "--profile", "sklearn", "--output", output);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(File.ReadAllText(Fixture(name + ".expected.json")), File.ReadAllText(output));
        Assert.Contains("bytes of JSON", result.Error);
    }

    [Fact]
    public void RefusesAJoblibDumpWithAPayloadBeforeItsArrayAndWritesNothing()
    {
        using var temp = new TempDir();
        var output = temp.Path_("out.json");

        var result = CliRunner.Run("convert", Fixture("refused", "joblib_global_before_array.joblib"), "--profile", "sklearn", "--output", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("offset 2: PG201 [os.system]", result.Error);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(temp.Root));
    }

    [Fact]
    public void RefusesALyingItemSize()
    {
        using var temp = new TempDir();

        var result = CliRunner.Run("convert", Fixture("refused", "joblib_lying_item_size.joblib"), "--profile", "sklearn", "--output", temp.Path_("out.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PGC01", result.Error);
        Assert.Contains("dtype <S2", result.Error);
    }
}
