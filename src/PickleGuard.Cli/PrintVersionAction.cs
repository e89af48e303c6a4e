using System.CommandLine;
using System.CommandLine.Invocation;

namespace PickleGuard.Cli;

/// <summary>
/// <c>--version</c>: PickleGuard's own version (without build metadata), written to the run's stdout. The built-in
/// action reads the entry assembly, which is the test host when the CLI runs in-process.
/// </summary>
internal sealed class PrintVersionAction(TextWriter output) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        output.WriteLine(ToolVersion.Current);
        return ExitCodes.Clean;
    }
}
