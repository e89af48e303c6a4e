using PickleGuard.Core;

namespace PickleGuard.Reporting;

/// <summary>ANSI colouring that turns into plain text when disabled.</summary>
internal readonly struct AnsiStyle(bool enabled)
{
    public string Bold(string text) => Wrap("1", text);

    public string Red(string text) => Wrap("31", text);

    public string Green(string text) => Wrap("32", text);

    public string Severity(Severity severity) => severity switch
    {
        Core.Severity.High => Wrap("1;31", "high"),
        Core.Severity.Medium => Wrap("33", "medium"),
        Core.Severity.Low => Wrap("36", "low"),
        _ => Wrap("2", "info"),
    };

    private string Wrap(string code, string text) => enabled ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
}
