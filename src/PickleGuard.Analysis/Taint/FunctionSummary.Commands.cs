namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The parameters a function runs as a command (<c>def run_command(cmd): subprocess.run(cmd, shell=True)</c>), by the
/// parameter and whether a shell runs it, with the runner's source data: a caller's curl or wget command for it
/// downloads into its output file as if the caller ran it (FunctionAnalyzer.Commands.cs).
/// </summary>
internal sealed partial class FunctionSummary
{
    private Dictionary<(int Parameter, bool Shell), TaintValue>? _commandRuns;

    /// <summary>The runner's source data by each parameter run as a command (and whether through a shell), or null.</summary>
    public IReadOnlyDictionary<(int Parameter, bool Shell), TaintValue>? CommandRuns => _commandRuns;

    public void AddCommandRun(int parameter, bool shell, TaintValue source) => Add(ref _commandRuns, (parameter, shell), source);

    private int CommandRunCount => OriginCount(_commandRuns);
}
