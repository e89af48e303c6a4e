using System.Text;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Commands;

/// <summary>Where and how a report is written: a format, and stdout or a file (--output).</summary>
internal sealed class ReportOutput(string format, string? file, TextWriter stdout)
{
    public bool IsStdout => file is null;

    public void Write(Report report, ReportContext context)
    {
        if (file is null)
        {
            Render(report, context, stdout);
            return;
        }
        try
        {
            using var writer = new StreamWriter(file, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            Render(report, context, writer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{file}': {ex.Message}");
        }
    }

    private void Render(Report report, ReportContext context, TextWriter writer)
    {
        switch (format)
        {
            case "json":
                JsonReporter.Write(report, context, writer);
                break;
            case "sarif":
                SarifReporter.Write(report, context, writer);
                break;
            default:
                TextReporter.Write(report, context, writer);
                break;
        }
    }
}
