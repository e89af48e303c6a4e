namespace PickleGuard.Pickle.Machine;

/// <summary>
/// The machine's problems, at most <see cref="MaxPerRule"/> per rule: a hostile file with a million computed calls
/// must not produce a million findings (memory grows with the file otherwise). The rest is summarised.
/// </summary>
internal sealed class ProblemLog
{
    private const int MaxPerRule = 50;

    private readonly Dictionary<string, (int Kept, long Suppressed, MachineProblem First)> _counts = new(StringComparer.Ordinal);

    public List<MachineProblem> Problems { get; } = [];

    public void Add(MachineProblem problem)
    {
        _counts.TryGetValue(problem.RuleCode, out var count);
        if (count.Kept < MaxPerRule)
        {
            Problems.Add(problem);
            _counts[problem.RuleCode] = (count.Kept + 1, count.Suppressed, count.First ?? problem);
        }
        else
        {
            _counts[problem.RuleCode] = (count.Kept, count.Suppressed + 1, count.First);
        }
    }

    /// <summary>Adds one summary problem per rule whose occurrences were not all listed.</summary>
    public void Summarise()
    {
        foreach (var (rule, count) in _counts)
        {
            if (count.Suppressed > 0)
            {
                Problems.Add(count.First with
                {
                    Message = $"{count.Suppressed} more {rule} occurrences after the first {count.Kept} are not listed individually (first: {count.First.Message})",
                });
                _counts[rule] = (count.Kept, 0, count.First);
            }
        }
    }
}
