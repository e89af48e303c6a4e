using System.Security.Cryptography;
using System.Text;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>
/// What makes a finding "the same" across runs, independent of line numbers: the rule, the path, and the
/// code line with whitespace collapsed (code) or the callable and archive member (artifacts). Used by SARIF
/// fingerprints and by baselines.
/// </summary>
public static class FindingIdentity
{
    public static string Key(string rule, string displayPath, string? codeLine, string? callable, string? member)
    {
        var anchor = codeLine is not null ? "code:" + NormalizeCode(codeLine) : "callable:" + callable + "!" + member;
        return rule + "\u0000" + displayPath + "\u0000" + anchor;
    }

    public static string Key(Finding finding, ReportContext context) =>
        Key(finding.RuleCode, context.DisplayPath(finding.Location.Path), finding.CodeLine, finding.Callable, finding.Location.Member);

    /// <summary>A short stable hash of <see cref="Key(Finding, ReportContext)"/>.</summary>
    public static string Hash(string key)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }

    public static string NormalizeCode(string code)
    {
        var text = new StringBuilder(code.Length);
        var pendingSpace = false;
        foreach (var c in code.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }
            text.Append(c);
        }
        return text.ToString();
    }
}
