using System.CommandLine;

namespace PickleGuard.Cli.Commands;

/// <summary>The subcommands of <c>pickleguard</c>.</summary>
internal static class CommandSet
{
    public static IEnumerable<Command> Create(CommandIo io) =>
    [
        ScanCommand.Create(io),
        ParseCommand.Create(io),
        InspectCommand.Create(io),
        RulesCommand.Create(io),
        RuleCommand.Create(io),
        ConvertCommand.Create(io),
    ];
}
