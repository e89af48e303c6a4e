using System.Text.Json;
using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Filtering;

/// <summary>
/// The findings of an earlier JSON report. A new finding is "known" when the baseline has one with the same
/// <see cref="FindingIdentity"/> (rule, path, normalized code line or callable + member), so moving code up or
/// down does not resurface it. Each baseline entry absorbs one finding.
/// </summary>
internal sealed class Baseline
{
    private readonly Dictionary<string, int> _remaining;

    private Baseline(Dictionary<string, int> remaining) => _remaining = remaining;

    /// <summary>Reads a JSON report; returns null and an error message when the file is not one.</summary>
    public static Baseline? Load(string file, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("findings", out var findings)
                || findings.ValueKind != JsonValueKind.Array)
            {
                error = $"{file}: not a PickleGuard JSON report (no \"findings\" array)";
                return null;
            }
            var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var finding in findings.EnumerateArray())
            {
                var key = FindingIdentity.Key(
                    Text(finding, "rule") ?? "", Text(finding, "path") ?? "", Text(finding, "code"),
                    Text(finding, "callable"), Text(finding, "member"));
                remaining[key] = remaining.GetValueOrDefault(key) + 1;
            }
            return new Baseline(remaining);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            error = $"{file}: cannot read baseline: {ex.Message}";
            return null;
        }
    }

    /// <summary>True when the finding was in the baseline (and uses up that entry).</summary>
    public bool Absorb(Finding finding, ReportContext context)
    {
        var key = FindingIdentity.Key(finding, context);
        if (_remaining.TryGetValue(key, out var count) && count > 0)
        {
            _remaining[key] = count - 1;
            return true;
        }
        return false;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
