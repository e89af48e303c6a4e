using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Filtering;

/// <summary>
/// Decides which findings are reported: severity threshold, --select/--ignore code prefixes, inline
/// suppressions on the finding's source line, and the baseline. Applied in that order.
/// </summary>
internal sealed class FindingFilter
{
    public Severity Threshold { get; init; } = Severity.Low;

    public IReadOnlyList<string> Select { get; init; } = [];

    public IReadOnlyList<string> Ignore { get; init; } = [];

    public Baseline? Baseline { get; init; }

    /// <summary>--show-suppressed: comments no longer hide findings (they are reported like the others).</summary>
    public bool ShowSuppressed { get; init; }

    /// <summary>The source line for a code finding (1-based), used for suppression comments; null when unknown.</summary>
    public Func<Location, string?> SourceLine { get; init; } = _ => null;

    /// <summary>
    /// The findings to report, and those a comment hid that would otherwise be reported before the baseline: a
    /// <c># nosec</c> written for Bandit's pickle warning also hides a proven path, so the summary counts them.
    /// </summary>
    public (IReadOnlyList<Finding> Kept, IReadOnlyList<Finding> Suppressed) Apply(IEnumerable<Finding> findings, ReportContext context)
    {
        var kept = new List<Finding>();
        var suppressed = new List<Finding>();
        foreach (var finding in findings)
        {
            if (finding.Severity < Threshold || !IsSelected(finding.RuleCode))
            {
                continue;
            }
            var line = finding.Location.Member is null && finding.Location.Line > 0
                ? SourceLine(finding.Location) ?? finding.CodeLine
                : null;
            if (!ShowSuppressed && line is not null && Suppressions.IsSuppressed(line, finding.RuleCode))
            {
                suppressed.Add(finding);
                continue;
            }
            if (Baseline is not null && Baseline.Absorb(finding, context))
            {
                continue;
            }
            kept.Add(finding);
        }
        return (kept, suppressed);
    }

    /// <summary>Selected when a --select prefix matches (or none is given) and no longer --ignore prefix matches.</summary>
    public bool IsSelected(string code)
    {
        var selectLength = -1;
        if (Select.Count == 0)
        {
            selectLength = 0;
        }
        foreach (var prefix in Select)
        {
            if (code.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                selectLength = Math.Max(selectLength, prefix.Length);
            }
        }
        if (selectLength < 0)
        {
            return false;
        }
        foreach (var prefix in Ignore)
        {
            // Ruff's rule: the more specific of select and ignore wins.
            if (code.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && prefix.Length >= selectLength)
            {
                return false;
            }
        }
        return true;
    }
}
