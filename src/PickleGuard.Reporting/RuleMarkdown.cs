using System.Globalization;
using System.Text;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>
/// Renders a <see cref="RuleDescriptor"/> as Markdown (docs/rules/CODE.md, SARIF help.markdown) or as plain
/// text (<c>pickleguard rule CODE</c>, SARIF help.text). One source for every place a rule is explained.
/// </summary>
public static class RuleMarkdown
{
    public static string ToMarkdown(RuleDescriptor rule)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {rule.Code} {rule.Slug}: {rule.Title}\n\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Default severity: **{rule.DefaultSeverity.ToName()}** · CWE-{rule.Cwe}\n\n");
        foreach (var (heading, body) in Sections(rule))
        {
            text.Append("## ").Append(heading).Append("\n\n").Append(body.Trim()).Append("\n\n");
        }
        if (rule.References.Count > 0)
        {
            text.Append("## References\n\n");
            foreach (var reference in rule.References)
            {
                text.Append("- ").Append(reference).Append('\n');
            }
            text.Append('\n');
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    public static string ToPlainText(RuleDescriptor rule)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{rule.Code} {rule.Slug}: {rule.Title}\n");
        text.Append(CultureInfo.InvariantCulture, $"Default severity: {rule.DefaultSeverity.ToName()}, CWE-{rule.Cwe}\n\n");
        foreach (var (heading, body) in Sections(rule))
        {
            text.Append(heading).Append(":\n").Append(body.Trim()).Append("\n\n");
        }
        if (rule.References.Count > 0)
        {
            text.Append("References:\n");
            foreach (var reference in rule.References)
            {
                text.Append("- ").Append(reference).Append('\n');
            }
        }
        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static IEnumerable<(string Heading, string Body)> Sections(RuleDescriptor rule)
    {
        yield return ("What it does", rule.WhatItDoes);
        yield return ("Why it matters", rule.WhyItMatters);
        if (!string.IsNullOrWhiteSpace(rule.Example))
        {
            yield return ("Example", rule.Example);
        }
        if (!string.IsNullOrWhiteSpace(rule.UseInstead))
        {
            yield return ("Use instead", rule.UseInstead);
        }
    }
}
