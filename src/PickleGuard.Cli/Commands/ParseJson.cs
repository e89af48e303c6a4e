using PickleGuard.Core;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Commands;

/// <summary>
/// The <c>parse --format json</c> contract: <c>{"files": [{"path", "errors": [{"line", "column", "message", "python2"}]}]}</c>,
/// every parsed file listed, plus <c>"errors": [{"path", "message"}]</c> for files that could not be read.
/// </summary>
internal static class ParseJson
{
    public static void Write(IReadOnlyList<ParsedFile> parsed, List<InputError> inputErrors, ReportContext context, TextWriter output) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("files");
            foreach (var file in parsed)
            {
                if (file.ReadError is { } readError)
                {
                    inputErrors.Add(new InputError(file.Path, readError));
                    continue;
                }
                writer.WriteStartObject();
                writer.WriteString("path", context.DisplayPath(file.Path));
                writer.WriteStartArray("errors");
                foreach (var error in file.Errors)
                {
                    writer.WriteStartObject();
                    if (file.Cells is { } cells && cells.TryMap(error.Line, out var cell, out var line))
                    {
                        writer.WriteNumber("line", line);
                        writer.WriteNumber("column", error.Column);
                        writer.WriteNumber("cell", cell);
                    }
                    else
                    {
                        writer.WriteNumber("line", error.Line);
                        writer.WriteNumber("column", error.Column);
                    }
                    writer.WriteString("message", error.Message);
                    writer.WriteBoolean("python2", error.Python2);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("errors");
            foreach (var error in inputErrors)
            {
                writer.WriteStartObject();
                writer.WriteString("path", context.DisplayPath(error.Path));
                writer.WriteString("message", error.Message);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
}
