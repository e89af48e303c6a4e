namespace PickleGuard.Cli.Tests;

public class CommandLineTests
{
    [Fact]
    public void HelpListsTheCommands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rules", result.Out);
        Assert.Contains("rule", result.Out);
    }

    [Fact]
    public void UnknownOptionIsAUsageError()
    {
        var result = CliRunner.Run("rules", "--no-such-option");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void MissingCommandIsAUsageError() => Assert.Equal(2, CliRunner.Run().ExitCode);
}
