using System.Text.Json;
using System.Text.Json.Serialization;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>One JSON-lines record of tests/oracle/ast_dump.py (or pyodide_dump.mjs).</summary>
internal sealed record OracleRecord(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("accepted")] bool Accepted,
    [property: JsonPropertyName("error")] OracleError? Error,
    [property: JsonPropertyName("dump")] string? Dump)
{
    public static OracleRecord Parse(string jsonLine) =>
        JsonSerializer.Deserialize<OracleRecord>(jsonLine)
        ?? throw new FormatException($"not an oracle record: {jsonLine[..Math.Min(200, jsonLine.Length)]}");

    /// <summary>"line:col: message" for reports.</summary>
    public string ErrorText => Error is null ? "" : $"{Error.Line}:{Error.Col}: {Error.Message}";
}

/// <summary>Why CPython rejected a file (SyntaxError and its subclasses, or ValueError).</summary>
internal sealed record OracleError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("line")] int? Line,
    [property: JsonPropertyName("col")] int? Col,
    [property: JsonPropertyName("message")] string Message);

/// <summary>One record of tests/oracle/py2_accepts.py.</summary>
internal sealed record Python2Record(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("accepted")] bool Accepted,
    [property: JsonPropertyName("message")] string? Message)
{
    public static Python2Record Parse(string jsonLine) =>
        JsonSerializer.Deserialize<Python2Record>(jsonLine)
        ?? throw new FormatException($"not a Python 2 record: {jsonLine}");
}
