using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A trace step's text (<see cref="TraceLink.Message"/>), or the parts it is made of when the text is read: a parameter's
/// starting step (<c>parameter 'x' of 'f'</c>) and a step quoting the source of a node (<c>reads 'self.x'</c>). The
/// analyses make far more steps than reports show, and these two kinds were a string each (a parameter's, once per
/// analysed function; a quote's, a substring and a concatenation per tainted read or store); made from the parts, their
/// text is the same, built only for a step a report shows. Any other text is the string itself (converted implicitly).
/// </summary>
internal readonly struct StepText
{
    /// <summary>Shown text is cut to this many characters (<see cref="Shown"/>).</summary>
    private const int MaxShown = 50;

    private StepText(string phrase, object? detail)
    {
        Phrase = phrase;
        Detail = detail;
    }

    /// <summary>The whole text, or its first part: the parameter's name, or the words before the quote.</summary>
    public string Phrase { get; }

    /// <summary>Null for a whole text; the function's name (a <see cref="string"/>) of a parameter's step; the quoted <see cref="Node"/>.</summary>
    public object? Detail { get; }

    public static implicit operator StepText(string text) => new(text, null);

    /// <summary><c>parameter '<paramref name="parameter"/>' of '<paramref name="function"/>'</c>.</summary>
    public static StepText Parameter(string parameter, string function) => new(parameter, function);

    /// <summary><c><paramref name="phrase"/> '...'</c> quoting the source of <paramref name="node"/> as <see cref="Shown"/> does.</summary>
    public static StepText Quoting(string phrase, Node node) => new(phrase, node);

    /// <summary>The text, for a step in <paramref name="module"/> (where a quoted node is).</summary>
    public string Format(ModuleModel module) => Format(module, Phrase, Detail);

    /// <summary>The text of parts <paramref name="phrase"/> and <paramref name="detail"/> (a link keeps them apart: TraceLink's PartsLink).</summary>
    public static string Format(ModuleModel module, string phrase, object? detail) => detail switch
    {
        null => phrase,
        string function => $"parameter '{phrase}' of '{function}'",
        _ => $"{phrase} '{Shown(module, (Node)detail)}'",
    };

    /// <summary>The node's source text for a message: on one line, at most 50 characters.</summary>
    public static string Shown(ModuleModel module, Node node)
    {
        var slice = Exact(module, node).ReplaceLineEndings(" ");
        return slice.Length <= MaxShown ? slice : slice[..(MaxShown - 3)] + "...";
    }

    /// <summary>The node's source text, whole ("?" for a span outside the source).</summary>
    public static string Exact(ModuleModel module, Node node) =>
        node.Span.Start >= 0 && node.Span.End <= module.Source.Text.Length ? module.Source.Text.Substring(node.Span.Start, node.Span.Length) : "?";
}
