namespace PickleGuard.Cli.Tests;

/// <summary>
/// <c>pickleguard scan</c> of ML artifacts that were noise under every profile: pandas pickles (the <c>pandas</c> profile)
/// and identified torch checkpoints (torch's weights-only globals added to any profile).
/// </summary>
public sealed class ArtifactProfileCommandTests
{
    private static string Fixture(params string[] parts) =>
        Path.Combine([CliRunner.RepositoryRoot() ?? throw new DirectoryNotFoundException("no checkout"), "tests", "fixtures", .. parts]);

    [Theory]
    [InlineData("pandas1_dataframe_period_multiindex_p5")]
    [InlineData("pandas2_dataframe_range_index_p5")]
    [InlineData("pandas2_datetime_series_p5")]
    [InlineData("pandas2_categorical_series_p5")]
    public void APandasPickleIsCleanUnderThePandasProfileOnly(string name)
    {
        var path = Fixture("pickles", "benign", name + ".pkl");
        var underPandas = CliRunner.Run("scan", path, "--profile", "pandas");
        Assert.True(underPandas.ExitCode == 0, underPandas.Out + underPandas.Error);
        var underNumpy = CliRunner.Run("scan", path, "--profile", "numpy");
        Assert.Equal(1, underNumpy.ExitCode);
        Assert.Contains("PG202", underNumpy.Out);
    }

    [Fact]
    public void ThePandasProfileStillReportsADangerousCall()
    {
        var result = CliRunner.Run("scan", Fixture("pickles", "malicious", "pandas_dataframe_attrs_os_system.pkl"), "--profile", "pandas");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("PG201", result.Out);
    }

    [Theory]
    [InlineData("legacy_torch_weights_only.pt")]
    [InlineData("torch_weights_only.pt")]
    public void AnIdentifiedTorchCheckpointIsCleanUnderTheDefaultProfile(string name)
    {
        var result = CliRunner.Run("scan", Fixture("containers", "benign", name));
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
    }
}
