using System.CommandLine;

namespace PickleGuard.Cli.Commands;

/// <summary>Arguments and options that several commands take, defined once so they read the same everywhere.</summary>
internal static class SharedOptions
{
    public static Argument<string[]> Paths() => new("PATHS")
    {
        Description = "Files and directories to check (default: the current directory)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Output format: " + string.Join(", ", formats),
            DefaultValueFactory = _ => formats[0],
            HelpName = "FORMAT",
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<string[]> Exclude() => new("--exclude")
    {
        Description = "Skip files and directories matching GLOB (repeatable; adds to the configuration)",
        HelpName = "GLOB",
    };

    public static Option<string[]> Include() => new("--include")
    {
        Description = "Also treat files matching GLOB as Python sources (repeatable)",
        HelpName = "GLOB",
    };

    public static Option<string?> Config() => new("--config")
    {
        Description = "Read [tool.pickleguard] from FILE instead of the nearest pyproject.toml",
        HelpName = "FILE",
    };
}
