using System.Globalization;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>
/// Compiler-diagnostic style text: one block per finding (header, code line with a caret, numbered trace),
/// then errors, then a summary count by severity.
/// </summary>
public static class TextReporter
{
    public static void Write(Report report, ReportContext context, TextWriter output)
    {
        var style = new AnsiStyle(context.UseColor);
        foreach (var finding in report.Findings)
        {
            WriteFinding(finding, context, style, output);
            output.WriteLine();
        }
        WriteProblems(report, context, output);
        output.WriteLine(Summary(report));
    }

    /// <summary>The syntax errors (notebook lines mapped to cells) and input errors of a report, one line each.</summary>
    public static void WriteProblems(Report report, ReportContext context, TextWriter output)
    {
        var style = new AnsiStyle(context.UseColor);
        foreach (var error in report.SyntaxErrors)
        {
            var where = LocationText(new Location(error.Path, error.Line, error.Column), context);
            var kind = error.Python2 ? "python 2 syntax" : "syntax error";
            output.WriteLine($"{style.Bold(where + ":")} {style.Red(kind)}: {error.Message}");
        }
        foreach (var error in report.Errors)
        {
            output.WriteLine($"{style.Bold(context.DisplayPath(error.Path) + ":")} {style.Red("error")}: {error.Message}");
        }
    }

    /// <summary>
    /// "Found 3 findings (1 high, 2 medium); 1 file problem." or "No findings."; findings that comments hid are
    /// counted after them ("; 2 suppressed by comments (2 high; --show-suppressed reports them)").
    /// </summary>
    public static string Summary(Report report)
    {
        var total = report.Findings.Count;
        var summary = total == 0
            ? "No findings"
            : string.Create(CultureInfo.InvariantCulture, $"Found {total} finding{(total == 1 ? "" : "s")} ({BySeverity(report.Findings)})");
        if (report.Suppressed.Count > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture,
                $"; {report.Suppressed.Count} suppressed by comments ({BySeverity(report.Suppressed)}; --show-suppressed reports them)");
        }
        var problems = report.Errors.Count + report.SyntaxErrors.Count;
        if (problems > 0)
        {
            summary += string.Create(CultureInfo.InvariantCulture, $"; {problems} file problem{(problems == 1 ? "" : "s")}");
        }
        return summary + ".";
    }

    /// <summary>"1 high, 2 medium": the count of each severity present, the highest first.</summary>
    private static string BySeverity(IReadOnlyList<Finding> findings)
    {
        var counts = SeverityCounts.Of(findings);
        var parts = new List<string>();
        for (var severity = Severity.High; severity >= Severity.Info; severity--)
        {
            if (counts[(int)severity] > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{counts[(int)severity]} {severity.ToName()}"));
            }
        }
        return string.Join(", ", parts);
    }

    private static void WriteFinding(Finding finding, ReportContext context, AnsiStyle style, TextWriter output)
    {
        var slug = context.SlugOf(finding.RuleCode);
        var rule = slug is null ? finding.RuleCode : finding.RuleCode + " [" + slug + "]";
        output.WriteLine($"{style.Bold(LocationText(finding.Location, context) + ":")} {style.Severity(finding.Severity)} {style.Bold(rule)} {context.MessageOf(finding)}");
        if (finding.Location.Member is null && finding.CodeLine is { } code && finding.Location.Line > 0)
        {
            WriteCodeLine(finding.Location, code, context, style, output);
        }
        if (finding.Callable is { } callable)
        {
            output.WriteLine($"    callable: {callable}");
        }
        for (var i = 0; i < finding.Trace.Count; i++)
        {
            var step = finding.Trace[i];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {i + 1}. {StepKindName(step.Kind)}: {StepLocationText(step.Location, context)} {step.Message}"));
        }
        if (finding.Fix is { } fix)
        {
            output.WriteLine($"    {style.Green("fix")}: {fix.Description}");
        }
    }

    private static void WriteCodeLine(Location location, string code, ReportContext context, AnsiStyle style, TextWriter output)
    {
        var line = (context.CellOf(location)?.Line ?? location.Line).ToString(CultureInfo.InvariantCulture);
        var gutter = new string(' ', line.Length);
        var text = code.TrimEnd('\r', '\n');
        output.WriteLine($"  {line} | {text}");
        if (location.Column > 0)
        {
            // Copy tabs from the code so the caret lines up however the terminal expands them.
            var prefix = new char[Math.Min(location.Column - 1, text.Length)];
            for (var i = 0; i < prefix.Length; i++)
            {
                prefix[i] = text[i] == '\t' ? '\t' : ' ';
            }
            output.WriteLine($"  {gutter} | {new string(prefix)}{style.Red("^")}");
        }
    }

    /// <summary><c>path:line:col</c>, <c>nb.ipynb:cell 3:2:5</c>, or <c>model.pt!data.pkl @ offset 0x1a</c>.</summary>
    public static string LocationText(Location location, ReportContext context)
    {
        var path = context.DisplayPath(location.Path);
        if (location.Member is not null || location.ByteOffset is not null)
        {
            var member = location.Member is null ? path : path + "!" + location.Member;
            return location.ByteOffset is { } offset
                ? string.Create(CultureInfo.InvariantCulture, $"{member} @ offset 0x{offset:x}")
                : member;
        }
        if (context.CellOf(location) is { } cell)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{path}:cell {cell.Cell}:{cell.Line}:{location.Column}");
        }
        // A finding about a whole file (e.g. an archive's structure) has no line.
        return location.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{path}:{location.Line}:{location.Column}")
            : path;
    }

    private static string StepLocationText(Location location, ReportContext context)
    {
        if (location.Member is not null || location.ByteOffset is not null)
        {
            return LocationText(location, context);
        }
        var path = context.DisplayPath(location.Path);
        return context.CellOf(location) is { } cell
            ? string.Create(CultureInfo.InvariantCulture, $"{path}:cell {cell.Cell}:{cell.Line}")
            : string.Create(CultureInfo.InvariantCulture, $"{path}:{location.Line}");
    }

    private static string StepKindName(TraceStepKind kind) => kind switch
    {
        TraceStepKind.Source => "source",
        TraceStepKind.Sink => "sink",
        _ => "step",
    };
}
