using System.CommandLine;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Commands;

/// <summary><c>pickleguard rule CODE</c>: one rule's documentation.</summary>
internal static class RuleCommand
{
    public static Command Create(CommandIo io)
    {
        var code = new Argument<string>("CODE") { Description = "Rule code (e.g. PG101) or slug" };
        var command = new Command("rule", "Show a rule's documentation: what it does, why it matters, example, what to use instead") { code };
        command.SetAction(result =>
        {
            var requested = result.GetValue(code)!;
            var rule = RuleCatalog.Find(requested)
                ?? throw new UsageException($"unknown rule '{requested}' (run 'pickleguard rules' for the list)");
            io.Out.Write(RuleMarkdown.ToPlainText(rule));
            return ExitCodes.Clean;
        });
        return command;
    }
}
