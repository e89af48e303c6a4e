using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Where a name bound by imports lives: <c>from state import JOBS</c> binds the object of the variable <c>JOBS</c> of
/// the scanned module <c>state</c>, <c>import state</c> that module itself. A change in place through either
/// (<c>JOBS.put(v)</c>, <c>state.JOBS.put(v)</c>, <c>state.CACHE[k] = v</c>) is a change of that module variable,
/// which every module reading it sees (docs/taint.md, "Module variables across modules").
/// </summary>
internal static class ImportedVariables
{
    /// <summary>Re-exports followed at most (<c>pkg/__init__.py</c>: <c>from .queues import JOBS</c>).</summary>
    private const int MaxReexports = 4;

    /// <summary>
    /// What <paramref name="name"/>, bound in <paramref name="scope"/> by imports only, denotes: a variable of a scanned
    /// module, a scanned module, or a library's module (<c>import os</c>). Null when some binding of the name is not an
    /// import, or it imports a name from a library (<c>from queue import Queue</c>: an ordinary outer variable).
    /// </summary>
    public static ImportedVariable? Target(Scope scope, string name, ProjectModel project) =>
        Target(scope, name, project, MaxReexports);

    private static ImportedVariable? Target(Scope scope, string name, ProjectModel project, int reexports)
    {
        Binding? import = null;
        foreach (var binding in scope.BindingsOf(name))
        {
            if (binding.Kind is not (BindingKind.Import or BindingKind.ImportFrom) || binding.ImportedName is null
                || import is not null && (import.Kind != binding.Kind || import.ImportedName != binding.ImportedName))
            {
                return null;
            }
            import = binding;
        }
        if (import is null)
        {
            return null;
        }
        var target = Resolve(import.ImportedName!, project, reexports);
        return target is null && import.Kind == BindingKind.Import ? new ImportedVariable(null, "") : target;
    }

    /// <summary>The scanned module and variable a qualified imported name denotes (re-exports followed), else null.</summary>
    private static ImportedVariable? Resolve(string importedName, ProjectModel project, int reexports)
    {
        var module = project.LongestModulePrefix(importedName, out var rest);
        if (module is null || rest.Contains('.', StringComparison.Ordinal))
        {
            return null; // a library, or an attribute of a variable (`a.b.c`): not a module variable
        }
        if (rest.Length > 0 && reexports > 0 && Target(module.ModuleScope, rest, project, reexports - 1) is { Module: not null } reexported)
        {
            return reexported;
        }
        return new ImportedVariable(module, rest);
    }

    /// <summary>The other scanned modules whose variables code of <paramref name="module"/> reaches through its imports.</summary>
    public static IEnumerable<ModuleModel> ImportedModules(ModuleModel module, ProjectModel project)
    {
        var seen = new HashSet<ModuleModel>();
        foreach (var site in module.Imports)
        {
            foreach (var importedName in ImportedNames(site))
            {
                if (Resolve(importedName, project, MaxReexports) is { Module: { } target } && target != module && seen.Add(target))
                {
                    yield return target;
                }
            }
        }
    }

    /// <summary>The qualified names an import statement binds, as the binder records them (<see cref="Binding.ImportedName"/>).</summary>
    private static IEnumerable<string> ImportedNames(ImportSite site) => site.Statement switch
    {
        ImportStmt import => import.Names.Select(alias => alias.Asname is null ? alias.Name.Split('.')[0] : alias.Name),
        ImportFromStmt from when site.Modules.Count == 1 => from.Names.Where(alias => alias.Name != "*").Select(alias => site.Modules[0] + "." + alias.Name),
        _ => [],
    };
}

/// <summary>
/// A name's object when imports bind it: <see cref="Variable"/> of the scanned <see cref="Module"/> (empty: the module
/// itself), or, with no module, a library's module, whose changes the taint analysis does not follow (the process
/// environment, <c>os.environ</c>, is a source of its own).
/// </summary>
internal readonly record struct ImportedVariable(ModuleModel? Module, string Variable);
