using System.Globalization;
using System.Text.Json;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

public static partial class SarifReporter
{
    private static void WriteTool(Utf8JsonWriter writer, IReadOnlyList<RuleDescriptor> rules, ReportContext context)
    {
        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", "PickleGuard");
        writer.WriteString("version", context.ToolVersion);
        writer.WriteString("semanticVersion", context.ToolVersion);
        writer.WriteString("informationUri", InformationUri);
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            WriteRule(writer, rule);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter writer, RuleDescriptor rule)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rule.Code);
        writer.WriteString("name", rule.Slug);
        WriteMessage(writer, rule.Title, "shortDescription");
        WriteMessage(writer, FirstParagraph(rule.WhatItDoes), "fullDescription");
        writer.WriteStartObject("help");
        writer.WriteString("text", RuleMarkdown.ToPlainText(rule));
        writer.WriteString("markdown", RuleMarkdown.ToMarkdown(rule));
        writer.WriteEndObject();
        writer.WriteStartObject("defaultConfiguration");
        writer.WriteString("level", Level(rule.DefaultSeverity));
        writer.WriteEndObject();
        writer.WriteStartObject("properties");
        writer.WriteString("security-severity", SecuritySeverity(rule.DefaultSeverity));
        writer.WriteStartArray("tags");
        writer.WriteStringValue("security");
        writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"external/cwe/cwe-{rule.Cwe}"));
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string FirstParagraph(string markdown)
    {
        var text = markdown.Trim();
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
