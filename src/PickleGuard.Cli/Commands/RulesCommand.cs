using System.CommandLine;
using System.Globalization;
using PickleGuard.Core;

namespace PickleGuard.Cli.Commands;

/// <summary><c>pickleguard rules [--write-docs DIR]</c>: the rule list, or the generated rule documentation.</summary>
internal static class RulesCommand
{
    public static Command Create(CommandIo io)
    {
        var writeDocs = new Option<string?>("--write-docs")
        {
            Description = "Write one Markdown page per rule (and an index) into DIR instead of listing the rules",
            HelpName = "DIR",
        };
        var command = new Command("rules", "List every rule: code, slug, default severity and title") { writeDocs };
        command.SetAction(result => Run(io, result.GetValue(writeDocs)));
        return command;
    }

    private static int Run(CommandIo io, string? docsDirectory)
    {
        if (docsDirectory is not null)
        {
            var count = RuleDocsWriter.Write(RuleCatalog.All, Path.GetFullPath(docsDirectory, io.WorkingDirectory));
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {count} files to {docsDirectory}"));
            return ExitCodes.Clean;
        }
        var slugWidth = RuleCatalog.All.Max(rule => rule.Slug.Length);
        foreach (var rule in RuleCatalog.All)
        {
            io.Out.WriteLine($"{rule.Code}  {rule.Slug.PadRight(slugWidth)}  {rule.DefaultSeverity.ToName(),-6}  {rule.Title}");
        }
        return ExitCodes.Clean;
    }
}
