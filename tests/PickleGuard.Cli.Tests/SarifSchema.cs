using System.Text.Json;
using Json.Schema;

namespace PickleGuard.Cli.Tests;

/// <summary>
/// The official SARIF 2.1.0 schema, found by walking up from the test's base directory to
/// <c>shared/schemas/sarif-schema-2.1.0.json</c> (next to the repository in CI). It is a draft-04 schema;
/// JsonSchema.Net reads draft 6 and later, and the file uses nothing that differs between them except the
/// name of the id keyword, so it is loaded as draft 7.
/// </summary>
internal static class SarifSchema
{
    public static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "schemas", "sarif-schema-2.1.0.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, JsonSchema> Loaded = [];

    // JsonSchema.Net registers every schema by id globally, so each file is built once.
    private static JsonSchema Load(string schemaPath)
    {
        lock (Gate)
        {
            if (!Loaded.TryGetValue(schemaPath, out var schema))
            {
                var text = File.ReadAllText(schemaPath)
                    .Replace("\"http://json-schema.org/draft-04/schema#\"", "\"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal)
                    .Replace("\n  \"id\":", "\n  \"$id\":", StringComparison.Ordinal);
                schema = JsonSchema.FromText(text);
                Loaded[schemaPath] = schema;
            }
            return schema;
        }
    }

    public static IReadOnlyList<string> Validate(string schemaPath, string sarif)
    {
        var schema = Load(schemaPath);
        using var document = JsonDocument.Parse(sarif);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }
        return [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
