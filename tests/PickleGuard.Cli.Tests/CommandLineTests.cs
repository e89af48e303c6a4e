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

    [Fact]
    public void AnUnexpectedExceptionIsAnInternalErrorWithExitThree()
    {
        var stderr = new StringWriter();
        var code = Cli.Run(["rules"], new FailingWriter(), stderr);
        Assert.Equal(3, code);
        Assert.Contains("internal error", stderr.ToString());
        Assert.Contains("writer is broken", stderr.ToString());
    }

    [Fact]
    public void VersionIsPrinted()
    {
        var result = CliRunner.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0.1.0", result.Out.Trim());
    }

    /// <summary>A stdout that fails the way a bug would: not an I/O error, not bad input.</summary>
    private sealed class FailingWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new InvalidOperationException("writer is broken");
    }
}
