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
        var bindings = scope.BindingsOf(name);
        for (var i = 0; i < bindings.Count; i++) // not foreach: the list's enumerator is an object per question
        {
            var binding = bindings[i];
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

    /// <summary>
    /// The other scanned modules whose variables code of <paramref name="module"/> reaches through its imports, each
    /// once, in import order. Plain loops over the qualified names each import binds, as the binder records them
    /// (<see cref="Binding.ImportedName"/>): an iterator and LINQ per import were 4 MB on the stdlib.
    /// </summary>
    public static ModuleModel[] ImportedModules(ModuleModel module, ProjectModel project)
    {
        List<ModuleModel>? found = null;
        var imports = module.Imports;
        for (var s = 0; s < imports.Count; s++)
        {
            var site = imports[s];
            if (site.Statement is ImportStmt import)
            {
                var names = import.Names;
                for (var i = 0; i < names.Count; i++)
                {
                    var alias = names[i];
                    Add(alias.Asname is null && alias.Name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? alias.Name[..dot] : alias.Name);
                }
            }
            else if (site.Statement is ImportFromStmt from && site.Modules.Count == 1)
            {
                var names = from.Names;
                for (var i = 0; i < names.Count; i++)
                {
                    if (names[i].Name != "*")
                    {
                        Add(site.Modules[0] + "." + names[i].Name);
                    }
                }
            }
        }
        return found is null ? [] : [.. found];

        void Add(string importedName)
        {
            // A module imports few scanned modules: a list's search instead of a set.
            if (Resolve(importedName, project, MaxReexports) is { Module: { } target } && target != module && found?.Contains(target) != true)
            {
                (found ??= []).Add(target);
            }
        }
    }
}

/// <summary>
/// A name's object when imports bind it: <see cref="Variable"/> of the scanned <see cref="Module"/> (empty: the module
/// itself), or, with no module, a library's module, whose changes the taint analysis does not follow (the process
/// environment, <c>os.environ</c>, is a source of its own).
/// </summary>
internal readonly record struct ImportedVariable(ModuleModel? Module, string Variable);
