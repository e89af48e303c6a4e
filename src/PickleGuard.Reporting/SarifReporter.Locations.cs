using System.Globalization;
using System.Text.Json;
using PickleGuard.Core;

namespace PickleGuard.Reporting;

public static partial class SarifReporter
{
    private static void WriteLocationObject(Utf8JsonWriter writer, Location location, string? message, ReportContext context)
    {
        writer.WriteStartObject();
        WritePhysicalLocation(writer, location, context);
        // A pickle inside an archive has no region of the archive file that SARIF could name: say where it is.
        var where = location.Member is { } member
            ? string.Create(CultureInfo.InvariantCulture, $"in {member}{(location.ByteOffset is { } o ? $" at pickle offset 0x{o:x}" : "")}")
            : context.CellOf(location) is { } cell
                ? string.Create(CultureInfo.InvariantCulture, $"in cell {cell.Cell}, line {cell.Line}")
                : null;
        var text = (message, where) switch
        {
            (null, null) => null,
            (null, _) => where,
            (_, null) => message,
            _ => message + " (" + where + ")",
        };
        if (text is not null)
        {
            WriteMessage(writer, text);
        }
        writer.WriteEndObject();
    }

    private static void WritePhysicalLocation(Utf8JsonWriter writer, Location location, ReportContext context)
    {
        writer.WriteStartObject("physicalLocation");
        WriteArtifactLocation(writer, location.Path, context);
        if (location.Member is null && location.ByteOffset is { } offset)
        {
            writer.WriteStartObject("region");
            writer.WriteNumber("byteOffset", offset);
            writer.WriteNumber("byteLength", 1);
            writer.WriteEndObject();
        }
        // Notebook lines count in the script made of the code cells, not in the .ipynb JSON: no region there.
        else if (location.Member is null && location.Line > 0 && context.CellOf(location) is null)
        {
            writer.WriteStartObject("region");
            writer.WriteNumber("startLine", location.Line);
            if (location.Column > 0)
            {
                writer.WriteNumber("startColumn", location.Column);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteArtifactLocation(Utf8JsonWriter writer, string path, ReportContext context)
    {
        writer.WriteStartObject("artifactLocation");
        var shown = context.DisplayPath(path);
        if (Path.IsPathRooted(shown))
        {
            writer.WriteString("uri", new Uri(shown).AbsoluteUri);
        }
        else
        {
            writer.WriteString("uri", string.Join('/', shown.Split('/').Select(Uri.EscapeDataString)));
            writer.WriteString("uriBaseId", SourceRoot);
        }
        writer.WriteEndObject();
    }

    private static string DirectoryUri(string directory)
    {
        var uri = new Uri(Path.GetFullPath(directory)).AbsoluteUri;
        return uri.EndsWith('/') ? uri : uri + "/";
    }
}
