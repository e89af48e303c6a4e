namespace PickleGuard.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it writes.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    public static CliResult RunIn(string workingDirectory, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr, workingDirectory);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static CliResult Run(params string[] args) => RunIn(Directory.GetCurrentDirectory(), args);

    /// <summary>The repository root (the directory holding PickleGuard.slnx), or null outside a checkout.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PickleGuard.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
