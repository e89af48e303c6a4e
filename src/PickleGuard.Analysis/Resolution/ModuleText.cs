using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Resolution;

/// <summary>Questions a module's source text answers faster than its syntax tree.</summary>
internal static class ModuleText
{
    /// <summary>
    /// Whether <paramref name="module"/> may name <paramref name="name"/>: its text holds the spelling, or a character
    /// outside ASCII (an identifier is NFKC-normalized: <c>ｗｏｒｋｅｒ</c> is <c>worker</c>). A module that cannot calls
    /// nothing by that name and passes nothing so: searching its text (vectorized) spares indexing every call of it
    /// (<see cref="ModuleModel.CallsNamed"/>), which for the many modules importing a widely imported one was most of
    /// the cost of a search for a function's callers or a class's constructions. The parse's names are asked first
    /// (<see cref="PickleGuard.Python.NameFilter"/>): a module whose tree holds no such name is ruled out without
    /// reading its text, and the text search only rules out the filter's rare false hits. Whether the text holds a
    /// character outside ASCII is found once per module.
    /// </summary>
    public static bool MayName(ModuleModel module, string name) =>
        module.Source.HasNonAscii
        || module.Parse.Names.MayContain(name) && module.Source.Text.AsSpan().Contains(name, StringComparison.Ordinal);

    /// <summary>
    /// How often <paramref name="name"/> occurs in <paramref name="text"/> as a whole identifier — in code, strings or
    /// comments — leaving out the occurrences at which <paramref name="skip"/> (text, position) is true.
    /// </summary>
    public static int IdentifierOccurrences(string text, string name, Func<string, int, bool>? skip = null)
    {
        var count = 0;
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + name.Length, StringComparison.Ordinal))
        {
            var end = at + name.Length;
            if ((at == 0 || !IsIdentifierChar(text[at - 1])) && (end == text.Length || !IsIdentifierChar(text[end])) && skip?.Invoke(text, at) != true)
            {
                count++;
            }
        }
        return count;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c > 127;
}
