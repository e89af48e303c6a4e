using System.Globalization;
using System.Text;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>
/// Renders a conformance run as the Markdown tables of docs/parser-conformance.md: the corpus,
/// the verdicts, and the divergences grouped by kind and cause.
/// </summary>
internal static class ConformanceReport
{
    public static string Render(StdlibConformanceRun run)
    {
        var files = run.Files;
        var builder = new StringBuilder();
        void Line(string text = "") => builder.Append(text).Append('\n');
        string Mb(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture);

        var accepted = files.Where(f => f.Reference.Accepted).ToList();
        var rejected = files.Where(f => !f.Reference.Accepted).ToList();
        var python2Only = rejected.Where(f => f.IsPython2Only).ToList();
        Line($"Corpus: `{run.CorpusRoot}` (site-packages excluded); acceptance reference CPython {run.ReferenceVersion}; " +
             $"dump oracle CPython {run.DumpOracleVersion ?? "(none: dumps not compared)"}; " +
             $"Python 2 oracle {(run.HasPython2Oracle ? "CPython 2.7" : "(none)")}. Run took {run.WallTime.TotalSeconds:0.0} s.");
        Line();
        Line("| corpus | files | MB |");
        Line("|---|---:|---:|");
        Line($"| all `.py` files | {files.Count} | {Mb(files.Sum(f => f.Size))} |");
        Line($"| accepted by CPython {run.ReferenceVersion} | {accepted.Count} | {Mb(accepted.Sum(f => f.Size))} |");
        Line($"| rejected, Python-2-only (2.7 accepts) | {python2Only.Count} | {Mb(python2Only.Sum(f => f.Size))} |");
        Line($"| rejected, invalid | {rejected.Count - python2Only.Count} | {Mb(rejected.Sum(f => f.Size) - python2Only.Sum(f => f.Size))} |");
        Line();

        var byKind = run.Divergences.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => g.Count());
        int Count(DivergenceKind kind) => byKind.GetValueOrDefault(kind);
        var compared = accepted.Count(f => f.DumpCompared);
        Line("| parser verdict | files |");
        Line("|---|---:|");
        Line($"| CPython accepts, we accept, dumps equal | {compared - Count(DivergenceKind.DumpMismatch)} |");
        Line($"| CPython accepts, we accept, dumps differ (`dump-mismatch`) | {Count(DivergenceKind.DumpMismatch)} |");
        Line($"| CPython accepts, we accept, dump not compared | {accepted.Count(f => !f.DumpCompared && f.Parsed.Accepts && f.Parsed.Python2DiagnosticCount == 0)} |");
        Line($"| CPython accepts, we reject (`rejects-valid`) | {Count(DivergenceKind.RejectsValid)} |");
        Line($"| CPython accepts, we flag Python 2 (`python2-on-valid`) | {Count(DivergenceKind.Python2OnValid)} |");
        Line($"| Python-2-only, we flag Python 2 and build a tree | {python2Only.Count - Count(DivergenceKind.Python2Missed)} |");
        Line($"| Python-2-only, missed (`python2-missed`) | {Count(DivergenceKind.Python2Missed)} |");
        Line($"| invalid, we reject | {rejected.Count - python2Only.Count - Count(DivergenceKind.AcceptsInvalid)} |");
        Line($"| invalid, we accept (`accepts-invalid`) | {Count(DivergenceKind.AcceptsInvalid)} |");
        Line($"| parser crashed (`crash`) | {Count(DivergenceKind.Crash)} |");
        Line();

        if (run.Divergences.Count > 0)
        {
            Line("| kind | cause | files | listed | example |");
            Line("|---|---|---:|---:|---|");
            foreach (var group in run.Divergences.GroupBy(d => (d.KindName, d.Cause))
                         .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.KindName, StringComparer.Ordinal))
            {
                var listed = group.Count(d => run.Known.Contains(d.Path, d.Kind));
                Line($"| {group.Key.KindName} | `{Escape(group.Key.Cause)}` | {group.Count()} | {listed} | `{group.First().Path}` |");
            }
            Line();
        }

        var disagreeing = files.Where(f => f.DumpOracle is not null && f.DumpOracle.Accepted != f.Reference.Accepted).ToList();
        Line(disagreeing.Count == 0
            ? $"CPython {run.ReferenceVersion} and {run.DumpOracleVersion ?? "3.13"} agree on the acceptance of every file."
            : $"CPython {run.ReferenceVersion} and {run.DumpOracleVersion} disagree on: " +
              string.Join(", ", disagreeing.Select(f => $"`{f.Path}` ({(f.Reference.Accepted ? "only the reference accepts" : "only 3.13 accepts")})")));
        Line();

        var parseSeconds = files.Sum(f => f.Parsed.Elapsed.TotalSeconds);
        Line($"Our parse (+ dump where compared), summed over files: {parseSeconds:0.00} s " +
             $"({(files.Sum(f => f.Size) / 1e6 / Math.Max(parseSeconds, 1e-9)):0.0} MB/s, not a benchmark: see bench/). Slowest: " +
             string.Join(", ", files.OrderByDescending(f => f.Parsed.Elapsed).Take(3)
                 .Select(f => $"`{f.Path}` {f.Parsed.Elapsed.TotalMilliseconds:0} ms")));
        return builder.ToString();
    }

    /// <summary>Up to <paramref name="perCause"/> detailed examples of each cause, biggest causes first.</summary>
    public static string Examples(IEnumerable<Divergence> divergences, int perCause)
    {
        var builder = new StringBuilder();
        foreach (var group in divergences.GroupBy(d => (d.KindName, d.Cause)).OrderByDescending(g => g.Count()))
        {
            builder.Append($"### {group.Key.KindName} {group.Key.Cause} ({group.Count()} files)\n\n");
            foreach (var divergence in group.Take(perCause))
                builder.Append($"{divergence.Path}\n{divergence.Detail}\n\n");
        }
        return builder.ToString();
    }

    /// <summary>known-divergences.txt lines for the given divergences, to review and paste.</summary>
    public static string CandidateEntries(IEnumerable<Divergence> divergences) =>
        string.Join('\n', divergences.Select(d => $"{d.Path} {d.KindName} {d.Cause}"));

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}
