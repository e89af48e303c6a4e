using System.Text.Json;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>
/// The JSON report, a contract (docs/output-formats.md):
/// <c>{"version", "findings": [{rule, severity, path, line, column, message, trace: [{path, line, message}], …}], "errors": [{path, message}]}</c>,
/// and <c>"suppressed": {severity: count}</c> when comments hid findings.
/// Optional fields are written only when they have a value.
/// </summary>
public static class JsonReporter
{
    public static void Write(Report report, ReportContext context, TextWriter output) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("version", context.ToolVersion);
            writer.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                WriteFinding(writer, finding, context);
            }
            writer.WriteEndArray();
            writer.WriteStartArray("errors");
            foreach (var error in report.SyntaxErrors)
            {
                writer.WriteStartObject();
                writer.WriteString("path", context.DisplayPath(error.Path));
                writer.WriteString("message", error.Message);
                writer.WriteString("kind", "syntax");
                writer.WriteNumber("line", error.Line);
                writer.WriteNumber("column", error.Column);
                writer.WriteBoolean("python2", error.Python2);
                writer.WriteEndObject();
            }
            foreach (var error in report.Errors)
            {
                writer.WriteStartObject();
                writer.WriteString("path", context.DisplayPath(error.Path));
                writer.WriteString("message", error.Message);
                writer.WriteString("kind", "input");
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (report.Suppressed.Count > 0)
            {
                WriteSuppressed(writer, report.Suppressed);
            }
            writer.WriteEndObject();
        });

    /// <summary><c>"suppressed": {"high": 2, "medium": 1}</c>: how many findings of each severity comments hid.</summary>
    private static void WriteSuppressed(Utf8JsonWriter writer, IReadOnlyList<Finding> suppressed)
    {
        var counts = SeverityCounts.Of(suppressed);
        writer.WriteStartObject("suppressed");
        for (var severity = Severity.High; severity >= Severity.Info; severity--)
        {
            if (counts[(int)severity] > 0)
            {
                writer.WriteNumber(severity.ToName(), counts[(int)severity]);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter writer, Finding finding, ReportContext context)
    {
        var location = finding.Location;
        var cell = context.CellOf(location);
        writer.WriteStartObject();
        writer.WriteString("rule", finding.RuleCode);
        writer.WriteString("severity", finding.Severity.ToName());
        writer.WriteString("path", context.DisplayPath(location.Path));
        writer.WriteNumber("line", cell?.Line ?? location.Line);
        writer.WriteNumber("column", location.Column);
        writer.WriteString("message", context.MessageOf(finding));
        writer.WriteStartArray("trace");
        foreach (var step in finding.Trace)
        {
            var stepCell = context.CellOf(step.Location);
            writer.WriteStartObject();
            writer.WriteString("path", context.DisplayPath(step.Location.Path));
            writer.WriteNumber("line", stepCell?.Line ?? step.Location.Line);
            writer.WriteString("message", step.Message);
            writer.WriteString("kind", step.Kind.ToString().ToLowerInvariant());
            if (stepCell is { } sc)
            {
                writer.WriteNumber("cell", sc.Cell);
            }
            WriteArtifactPlace(writer, step.Location);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (context.SlugOf(finding.RuleCode) is { } slug)
        {
            writer.WriteString("slug", slug);
        }
        writer.WriteString("confidence", finding.Confidence.ToString().ToLowerInvariant());
        if (cell is { } c)
        {
            writer.WriteNumber("cell", c.Cell);
        }
        if (finding.CodeLine is { } code)
        {
            writer.WriteString("code", code.Trim());
        }
        if (finding.Callable is { } callable)
        {
            writer.WriteString("callable", callable);
        }
        WriteArtifactPlace(writer, location);
        if (finding.Fix is { } fix)
        {
            WriteFix(writer, fix, context);
        }
        writer.WriteEndObject();
    }

    private static void WriteArtifactPlace(Utf8JsonWriter writer, Location location)
    {
        if (location.Member is { } member)
        {
            writer.WriteString("member", member);
        }
        if (location.ByteOffset is { } offset)
        {
            writer.WriteNumber("offset", offset);
        }
    }

    private static void WriteFix(Utf8JsonWriter writer, Fix fix, ReportContext context)
    {
        writer.WriteStartObject("fix");
        writer.WriteString("description", fix.Description);
        writer.WriteStartArray("edits");
        foreach (var edit in fix.Edits)
        {
            writer.WriteStartObject();
            writer.WriteString("path", context.DisplayPath(edit.Path));
            writer.WriteNumber("start", edit.Start);
            writer.WriteNumber("end", edit.End);
            writer.WriteString("newText", edit.NewText);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
