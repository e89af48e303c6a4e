using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Finds which of some functions a project may use other than by calling them: passed, stored, decorated with,
/// aliased, named in a string (<c>getattr(module, "make")</c>). By counting, not by walking syntax trees (this runs on
/// the whole project before the fixpoint): in each module that can see the function, its name's occurrences as a whole
/// word must all be accounted for by calls whose callee is that name (<c>make(...)</c>, <c>m.make(...)</c>),
/// definitions (<c>def make</c>) and imports; lines that hold only a comment are skipped. Anything else — a docstring or a
/// comment after code mentioning it too — counts as a use;
/// so does an occurrence in any function of the same name: that only makes fewer factories. The modules that can see
/// it: its own, those importing its module or a package above it, and, in turn, those importing a module that names
/// it or star-imports from one of those (a re-export). A module reaching it otherwise (<c>importlib</c>, <c>sys.modules</c>)
/// is not looked at.
/// </summary>
internal static class FactoryReferenceFinder
{
    /// <summary>The functions among <paramref name="functions"/> some module may use other than by calling, defining or importing them.</summary>
    public static HashSet<TaintUnit> ValueReferences(ProjectIndex index, IReadOnlyList<TaintUnit> functions)
    {
        var importers = index.Importers;
        var used = new bool[functions.Count];
        Parallel.For(0, functions.Count, i => used[i] = UsedAsValue(functions[i], importers));
        return functions.Where((_, i) => used[i]).ToHashSet();
    }

    /// <summary>Whether some module may use <paramref name="function"/> other than by calling, defining or importing it.</summary>
    public static bool UsedAsValue(ProjectIndex index, TaintUnit function) => UsedAsValue(function, index.Importers);

    /// <summary>The modules importing each module (by its dotted name), for <see cref="ProjectIndex.Importers"/>.</summary>
    public static Dictionary<string, List<ModuleModel>> Importers(ProjectIndex index)
    {
        var importers = new Dictionary<string, List<ModuleModel>>(StringComparer.Ordinal);
        foreach (var module in index.Modules)
        {
            foreach (var import in module.Imports)
            {
                foreach (var imported in import.Modules)
                {
                    if (!importers.TryGetValue(imported, out var list))
                    {
                        importers[imported] = list = [];
                    }
                    if (list.Count == 0 || list[^1] != module)
                    {
                        list.Add(module);
                    }
                }
            }
        }
        return importers;
    }

    /// <summary>Walks the modules that can see <paramref name="function"/> (see the class) until one uses its name otherwise.</summary>
    private static bool UsedAsValue(TaintUnit function, Dictionary<string, List<ModuleModel>> importers)
    {
        var name = function.Name;
        var seen = new HashSet<ModuleModel> { function.Module };
        var pending = new Queue<ModuleModel>();
        pending.Enqueue(function.Module);
        var exported = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var module))
        {
            var words = ModuleText.IdentifierOccurrences(module.Source.Text, name, InCommentLine);
            if (words > 0 && words > Accounted(module, name))
            {
                return true;
            }
            if (module != function.Module && words == 0 && !StarImportsFrom(module, exported))
            {
                continue;
            }
            // This module defines, imports or star-imports the name: whoever imports it, or a package above it, may see it.
            for (var dotted = module.Name; dotted.Length > 0; dotted = dotted.LastIndexOf('.') is var dot and > 0 ? dotted[..dot] : "")
            {
                if (!exported.Add(dotted) || !importers.TryGetValue(dotted, out var list))
                {
                    continue;
                }
                foreach (var importer in list)
                {
                    if (seen.Add(importer))
                    {
                        pending.Enqueue(importer);
                    }
                }
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="module"/> has <c>from m import *</c> for one of <paramref name="modules"/>.</summary>
    private static bool StarImportsFrom(ModuleModel module, HashSet<string> modules)
    {
        foreach (var import in module.Imports)
        {
            if (import.Statement is ImportFromStmt { Names: [{ Name: "*" }] } && import.Modules.Any(modules.Contains))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="at"/> is on a line that holds only a comment (a <c>#</c> after nothing but blanks).</summary>
    private static bool InCommentLine(string text, int at)
    {
        var start = text.LastIndexOf('\n', at) + 1;
        var first = text.AsSpan(start, at - start).TrimStart();
        return first.Length > 0 && first[0] == '#';
    }

    /// <summary>The occurrences of <paramref name="name"/> in <paramref name="module"/> that are callees, definitions or imports.</summary>
    private static int Accounted(ModuleModel module, string name)
    {
        var count = 0;
        foreach (var site in module.Calls)
        {
            if (site.Call.Func is NameExpr { Id: var id } && id == name || site.Call.Func is AttributeExpr { Attr: var attr } && attr == name)
            {
                count++;
            }
        }
        foreach (var function in module.Functions.Values)
        {
            if (function.Node is FunctionDefStmt or AsyncFunctionDefStmt && function.Name == name)
            {
                count++;
            }
        }
        foreach (var import in module.Imports)
        {
            switch (import.Statement)
            {
                case ImportFromStmt from:
                    count += Segments(from.Module, name);
                    foreach (var alias in from.Names)
                    {
                        count += Segments(alias.Name, name) + (alias.Asname == name ? 1 : 0);
                    }
                    break;
                case ImportStmt plain:
                    foreach (var alias in plain.Names)
                    {
                        count += Segments(alias.Name, name) + (alias.Asname == name ? 1 : 0);
                    }
                    break;
            }
        }
        return count;
    }

    /// <summary>How many parts of the dotted name <paramref name="dotted"/> are <paramref name="name"/>.</summary>
    private static int Segments(string? dotted, string name)
    {
        var count = 0;
        foreach (var part in (dotted ?? "").Split('.'))
        {
            count += part == name ? 1 : 0;
        }
        return count;
    }
}
