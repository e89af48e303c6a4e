using PickleGuard.Analysis.Detection;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Commands run by a command runner (<see cref="CallInfo.CommandRunner"/>): a curl or wget command saves the server's
/// data into its output file (<see cref="DownloadCommand"/>). A command the function is given (<c>def run_command(cmd):
/// subprocess.run(cmd, shell=True)</c>, nerfstudio; fairseq's <c>def call(cmd): check_call(cmd, shell=True)</c>) is a
/// summary entry (<see cref="FunctionSummary.CommandRuns"/>), and a caller's command for that parameter
/// (<c>run_command(f"wget {url} -O {path}")</c>) runs as if the caller ran it, also handed on through its own parameter.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>The call <paramref name="call"/> to a command runner runs its command.</summary>
    private void RunCommand(CallExpr call, (Models.SourceModel Model, string Name) runner)
    {
        if (DownloadCommand.Command(call, runner.Model) is var (command, shell) && shell is { } byShell)
        {
            RunCommand(command, byShell, () => SourceTaint(runner.Model.Kind, runner.Name, call), call);
        }
    }

    /// <summary>
    /// <paramref name="command"/> run at <paramref name="at"/> (through a shell or not), whose server's data
    /// <paramref name="data"/> gives: saved into the output file of a curl or wget command, or, for a command this
    /// function's parameter holds, recorded for its callers.
    /// </summary>
    private void RunCommand(Expr command, bool shell, Func<TaintValue> data, Node at)
    {
        if (DownloadCommand.OutputFile(command, shell) is { } downloaded)
        {
            SaveDownload(downloaded, data(), at); // curl or wget: the file holds the server's data
        }
        else if (command is NameExpr name && ParameterHolding(name.Id) is { } parameter)
        {
            _unit.OwnSummary.AddCommandRun(parameter, shell, data());
        }
    }

    /// <summary>The callee's parameters run as commands, at this call: the command the call gives each runs here.</summary>
    private void ApplyCommandRuns(TaintUnit callee, CallExpr call, int offset)
    {
        if (callee.Summary.CommandRuns is not { } runs)
        {
            return;
        }
        // A function calling itself adds to the table while reading it: read a copy then.
        foreach (var ((parameter, shell), source) in callee == _unit ? runs.ToArray() : (IEnumerable<KeyValuePair<(int, bool), TaintValue>>)runs)
        {
            if (ArgumentFor(callee, call, parameter, offset) is { } command)
            {
                RunGivenCommand(callee, call, command, shell, source);
            }
        }
    }

    /// <summary>
    /// The command <paramref name="command"/> that <paramref name="call"/> gives <paramref name="callee"/>, which runs it,
    /// with the data <paramref name="source"/>. Apart from <see cref="ApplyCommandRuns"/>: a lambda capturing a method's
    /// parameters makes its closure on entry, and that runs at every call of a function with a summary.
    /// </summary>
    private void RunGivenCommand(TaintUnit callee, CallExpr call, Expr command, bool shell, TaintValue source) =>
        RunCommand(command, shell, () => source.Step(_module, call.Span.Start, $"the command given to '{callee.Name}', which runs it"), call);
}
