using System.CommandLine;
using PickleGuard.Cli.Commands;
using PickleGuard.Cli.Configuration;

namespace PickleGuard.Cli;

/// <summary>The <c>pickleguard</c> command line, callable in-process (tests) as well as from <c>Main</c>.</summary>
public static class Cli
{
    /// <summary>Runs one command line; the report goes to <paramref name="stdout"/>, diagnostics to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Directory.GetCurrentDirectory());

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>, with relative paths in reports shown against <paramref name="workingDirectory"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, string workingDirectory)
    {
        var color = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var io = new CommandIo(stdout, stderr, color, workingDirectory);
        var root = new RootCommand("PickleGuard finds insecure deserialization in Python source code and in serialized artifacts, without executing either.");
        foreach (var command in CommandSet.Create(io))
        {
            root.Subcommands.Add(command);
        }
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersionAction(stdout);
        }
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine("pickleguard: error: " + error.Message);
            }
            stderr.WriteLine("Run 'pickleguard --help' for usage.");
            return ExitCodes.UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine("pickleguard: error: " + ex.Message);
            return ExitCodes.UsageError;
        }
        catch (ConfigException ex)
        {
            stderr.WriteLine("pickleguard: configuration error: " + ex.Message);
            return ExitCodes.UsageError;
        }
        catch (Exception ex)
        {
            stderr.WriteLine("pickleguard: internal error (please report it): " + ex);
            return ExitCodes.InternalError;
        }
    }
}
