using PickleGuard.Analysis.Semantic;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Where the texts of a project's modules mention a name, for the held-digest search's question whether code outside
/// the calls it followed may put a function under a dict key of that name (FunctionAnalyzer.HeldDigests.cs,
/// <c>KeyWrittenElsewhere</c>): <see cref="Quoted"/>, some module's text holds it as a string literal's whole text
/// (<c>"name"</c> or <c>'name'</c>); <see cref="Modules"/>, the modules whose text holds it at all, in project order
/// (only there can a call pass it by keyword). Found once per name and project (<see cref="ProjectIndex.HeldDigestKeyMentions"/>):
/// each search read every module's text, and the searches of a project ask for the same names again (MONAI's five
/// searches read its texts five times for fewer names).
/// </summary>
internal sealed class KeyMentions(bool quoted, ModuleModel[] modules)
{
    public bool Quoted { get; } = quoted;

    /// <summary>The modules whose text holds the name; empty when <see cref="Quoted"/> (the answer is then known).</summary>
    public ModuleModel[] Modules { get; } = modules;

    public static KeyMentions Of(IReadOnlyList<ModuleModel> modules, string name)
    {
        var mentioning = new List<ModuleModel>();
        string? doubleQuoted = null;
        string? singleQuoted = null;
        foreach (var module in modules)
        {
            var text = module.Source.Text;
            if (!text.Contains(name, StringComparison.Ordinal))
            {
                continue;
            }
            doubleQuoted ??= $"\"{name}\"";
            singleQuoted ??= $"'{name}'";
            if (text.Contains(doubleQuoted, StringComparison.Ordinal) || text.Contains(singleQuoted, StringComparison.Ordinal))
            {
                return new KeyMentions(true, []);
            }
            mentioning.Add(module);
        }
        return new KeyMentions(false, [.. mentioning]);
    }
}
