using System.Text;

namespace PickleGuard.Python.Tests.Oracle;

/// <summary>Reduces an error message to its shape (quoted text and numbers elided) so the same
/// error in many files groups into one row of the conformance tables.</summary>
internal static class DiagnosticShape
{
    public static string Of(string? message)
    {
        if (string.IsNullOrEmpty(message))
            return "(none)";
        // Drop a leading "line:col: " or position record prefix.
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        var text = colon >= 0 && colon < 40 && message[..colon].Any(char.IsDigit) ? message[(colon + 2)..] : message;
        var builder = new StringBuilder();
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    builder.Append("…").Append(c);
                    quote = null;
                }
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                builder.Append(c);
            }
            else if (char.IsDigit(c))
            {
                if (builder.Length == 0 || builder[^1] != '#')
                    builder.Append('#');
            }
            else
            {
                builder.Append(c);
            }
        }
        var shape = builder.ToString();
        return shape.Length <= 80 ? shape : shape[..80] + "…";
    }
}
