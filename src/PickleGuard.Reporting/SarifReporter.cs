using System.Globalization;
using System.Text.Json;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>
/// SARIF 2.1.0 for GitHub code scanning: one run, the rule catalogue under tool.driver.rules, one result per
/// finding with a line-independent fingerprint, code flows from the trace, fixes from <see cref="Finding.Fix"/>,
/// and input problems as tool execution notifications.
/// </summary>
public static partial class SarifReporter
{
    public const string InformationUri = "https://github.com/pickleguard/pickleguard";
    public const string FingerprintName = "pickleguard/v1";
    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
    private const string SourceRoot = "%SRCROOT%";

    public static void Write(Report report, ReportContext context, TextWriter output) =>
        JsonOutput.Write(output, writer =>
        {
            var rules = context.Rules.Values.OrderBy(rule => rule.Code, StringComparer.Ordinal).ToList();
            var ruleIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < rules.Count; i++)
            {
                ruleIndex[rules[i].Code] = i;
            }
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUri);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();
            WriteTool(writer, rules, context);
            writer.WriteStartObject("originalUriBaseIds");
            writer.WriteStartObject(SourceRoot);
            writer.WriteString("uri", DirectoryUri(context.BaseDirectory));
            writer.WriteEndObject();
            writer.WriteEndObject();
            WriteInvocation(writer, report, context);
            writer.WriteStartArray("results");
            var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var finding in report.Findings)
            {
                WriteResult(writer, finding, context, ruleIndex, occurrences);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>GitHub's scale: ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, otherwise low.</summary>
    public static string SecuritySeverity(Severity severity) => severity switch
    {
        Severity.High => "9.8",
        Severity.Medium => "6.5",
        Severity.Low => "3.5",
        _ => "1.0",
    };

    public static string Level(Severity severity) => severity switch
    {
        Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    private static void WriteInvocation(Utf8JsonWriter writer, Report report, ReportContext context)
    {
        writer.WriteStartArray("invocations");
        writer.WriteStartObject();
        writer.WriteBoolean("executionSuccessful", true);
        writer.WriteStartArray("toolExecutionNotifications");
        foreach (var error in report.SyntaxErrors)
        {
            WriteNotification(writer, context, new Location(error.Path, error.Line, error.Column),
                "Syntax error: " + error.Message + (error.Python2 ? " (Python 2 only)" : ""), "warning");
        }
        foreach (var error in report.Errors)
        {
            WriteNotification(writer, context, new Location(error.Path), error.Message, "error");
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteNotification(Utf8JsonWriter writer, ReportContext context, Location location, string message, string level)
    {
        writer.WriteStartObject();
        writer.WriteString("level", level);
        WriteMessage(writer, message);
        writer.WriteStartArray("locations");
        writer.WriteStartObject();
        WritePhysicalLocation(writer, location, context);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, Finding finding, ReportContext context,
        Dictionary<string, int> ruleIndex, Dictionary<string, int> occurrences)
    {
        writer.WriteStartObject();
        writer.WriteString("ruleId", finding.RuleCode);
        if (ruleIndex.TryGetValue(finding.RuleCode, out var index))
        {
            writer.WriteNumber("ruleIndex", index);
        }
        writer.WriteString("level", Level(finding.Severity));
        WriteMessage(writer, context.MessageOf(finding));
        writer.WriteStartArray("locations");
        WriteLocationObject(writer, finding.Location, null, context);
        writer.WriteEndArray();

        // Identical findings in one file (same rule, same normalized line) get an occurrence number so
        // their fingerprints stay distinct and stable.
        var key = FindingIdentity.Key(finding, context);
        occurrences[key] = occurrences.GetValueOrDefault(key) + 1;
        writer.WriteStartObject("partialFingerprints");
        writer.WriteString(FingerprintName, FindingIdentity.Hash(key) + ":" + occurrences[key].ToString(CultureInfo.InvariantCulture));
        writer.WriteEndObject();

        if (finding.Trace.Count > 0)
        {
            WriteCodeFlow(writer, finding.Trace, context);
        }
        if (finding.Fix is { } fix && fix.Edits.Count > 0)
        {
            WriteFix(writer, fix, context);
        }
        WriteResultProperties(writer, finding, context);
        writer.WriteEndObject();
    }

    private static void WriteResultProperties(Utf8JsonWriter writer, Finding finding, ReportContext context)
    {
        writer.WriteStartObject("properties");
        writer.WriteString("severity", finding.Severity.ToName());
        writer.WriteString("confidence", finding.Confidence.ToString().ToLowerInvariant());
        if (finding.Callable is { } callable)
        {
            writer.WriteString("callable", callable);
        }
        if (finding.Location.Member is { } member)
        {
            writer.WriteString("member", member);
        }
        if (finding.Location.ByteOffset is { } offset)
        {
            writer.WriteNumber("offset", offset);
        }
        if (context.CellOf(finding.Location) is { } cell)
        {
            writer.WriteNumber("cell", cell.Cell);
            writer.WriteNumber("cellLine", cell.Line);
        }
        writer.WriteEndObject();
    }

    private static void WriteCodeFlow(Utf8JsonWriter writer, IReadOnlyList<TraceStep> trace, ReportContext context)
    {
        writer.WriteStartArray("codeFlows");
        writer.WriteStartObject();
        writer.WriteStartArray("threadFlows");
        writer.WriteStartObject();
        writer.WriteStartArray("locations");
        foreach (var step in trace)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("location");
            WriteLocationObject(writer, step.Location, step.Message, context);
            if (step.Kind != TraceStepKind.Step)
            {
                writer.WriteStartArray("kinds");
                writer.WriteStringValue(step.Kind == TraceStepKind.Source ? "source" : "sink");
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteFix(Utf8JsonWriter writer, Fix fix, ReportContext context)
    {
        writer.WriteStartArray("fixes");
        writer.WriteStartObject();
        WriteMessage(writer, fix.Description, "description");
        writer.WriteStartArray("artifactChanges");
        foreach (var group in fix.Edits.GroupBy(edit => edit.Path, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            WriteArtifactLocation(writer, group.Key, context);
            writer.WriteStartArray("replacements");
            foreach (var edit in group)
            {
                writer.WriteStartObject();
                writer.WriteStartObject("deletedRegion");
                writer.WriteNumber("charOffset", edit.Start);
                writer.WriteNumber("charLength", edit.End - edit.Start);
                writer.WriteEndObject();
                writer.WriteStartObject("insertedContent");
                writer.WriteString("text", edit.NewText);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter writer, string text, string name = "message")
    {
        writer.WriteStartObject(name);
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }
}
