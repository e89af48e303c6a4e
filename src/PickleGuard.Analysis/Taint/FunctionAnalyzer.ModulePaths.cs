using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Directories held by module variables set at import (<see cref="ModuleVariableSetAtImport"/>; bark's
/// <c>CACHE_DIR = os.path.join(os.getenv(...), "suno", "bark_v0")</c>): such a variable names the same directory in
/// every function of the program, as a literal one does, so what one function downloads or extracts into it
/// (<c>_download</c>: <c>hf_hub_download(..., local_dir=CACHE_DIR)</c>) is a fact of the program, read back by a path
/// joined onto the same variable in another function (<c>_get_ckpt_path</c> returns <c>os.path.join(CACHE_DIR,
/// name)</c>, which <c>_load_model</c> loads), also in another module importing it (<c>from download import CACHE_DIR
/// as DIR</c>, <c>download.CACHE_DIR</c>); so is a file saved at such a path. The key names each variable by its
/// defining module's file and its name there, so another module's variable of the same name, or another variable,
/// says nothing of that directory, and an importer's alias names the same one.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Encloses a module's file in the key of a path held by module variables (<see cref="ModulePath"/>): no real path or local key holds it.</summary>
    private const char ModulePathMark = '\u0002';

    /// <summary><see cref="ModuleVariableKey"/> as a delegate, made once per analyzer.</summary>
    private readonly LeafKey _moduleVariableKey;

    /// <summary>
    /// The program-wide key of a path made of literals and module variables set at import (at least one), in a function;
    /// else null.
    /// </summary>
    private string? ModulePath(Expr expr) =>
        _unit.Function is not null && PathKey(expr, 0, _moduleVariableKey) is (var text, true) ? text : null;

    /// <summary>A module variable set at import, as its defining module's file, enclosed in marks, and its name there.</summary>
    private (string Text, bool Named)? ModuleVariableKey(Expr leaf, int depth) =>
        ModuleVariableSetAtImport(leaf) is var (module, variable) ? ($"{ModulePathMark}{module.Path}{ModulePathMark}{variable}", true) : null;

    /// <summary>
    /// The variable a path's leaf names when it is one set at import: a name of this function's module that only the
    /// module's top level assigns, or a variable of another scanned module reached through imports (<c>from download
    /// import CACHE_DIR as DIR</c>, re-exports followed; <c>download.CACHE_DIR</c> after <c>import download</c>);
    /// else null.
    /// </summary>
    private (ModuleModel Module, string Variable)? ModuleVariableSetAtImport(Expr leaf)
    {
        if (_unit.Function is null)
        {
            return null;
        }
        var (module, variable) = leaf switch
        {
            NameExpr name when !_module.MutatedNames.Contains(name.Id) => VariableNamed(name.Id),
            AttributeExpr { Value: NameExpr owner } attribute when ImportedModule(owner.Id) is { } imported => (imported, attribute.Attr),
            _ => default,
        };
        return module is not null && IsSetAtImport(module, variable) ? (module, variable) : null;
    }

    /// <summary>The module variable <paramref name="name"/> denotes in this function: its module's own, or one imports bind; none for a local.</summary>
    private (ModuleModel? Module, string Variable) VariableNamed(string name) =>
        _unit.Scope.ScopeBinding(name) is not { } scope ? default
            : _program.ImportTarget(scope, name) is { } imported ? (imported.Variable.Length > 0 ? (imported.Module, imported.Variable) : default)
            : scope == _module.ModuleScope ? (_module, name)
            : default;

    /// <summary>The scanned module <paramref name="name"/> denotes where imports alone bind it (<c>import download</c>), else null.</summary>
    private ModuleModel? ImportedModule(string name) =>
        _unit.Scope.ScopeBinding(name) is { } scope && _program.ImportTarget(scope, name) is { Module: { } module, Variable.Length: 0 } ? module : null;

    /// <summary>
    /// Whether <paramref name="variable"/> of <paramref name="module"/> is set at import, before any function runs: every
    /// binding an assignment its top level runs (not one a function rebinds under <c>global</c>, a loop binds or
    /// <c>+=</c> extends), none changed in place, and no code of the project storing an attribute of that name
    /// (<c>download.CACHE_DIR = d</c> from another module).
    /// </summary>
    private bool IsSetAtImport(ModuleModel module, string variable)
    {
        if (module.MutatedNames.Contains(variable) || _program.Index.Project.AttributeStoresOf(variable).Count > 0)
        {
            return false;
        }
        var bindings = module.ModuleScope.BindingsOf(variable);
        foreach (var binding in bindings)
        {
            if (binding is not { Kind: BindingKind.Assignment, Augments: false } || binding.ExecutingScope != module.ModuleScope)
            {
                return false;
            }
        }
        return bindings.Count > 0;
    }

    /// <summary>The path a module path key shows: its text without the modules' files.</summary>
    private static string ShownModulePath(string key)
    {
        var shown = new System.Text.StringBuilder(key.Length);
        var at = 0;
        // A literal part holding the mark itself (`"\x02"`) leaves one unpaired: shown as it is.
        for (var file = key.IndexOf(ModulePathMark); file >= 0 && key.IndexOf(ModulePathMark, file + 1) is var end and >= 0; file = key.IndexOf(ModulePathMark, at))
        {
            shown.Append(key, at, file - at);
            at = end + 1;
        }
        return shown.Append(key, at, key.Length - at).ToString();
    }

    /// <summary>Records that <paramref name="put"/> lands in every file under the directory a module path key names.</summary>
    private void PutInModuleDirectory(string directory, TaintValue put, CallExpr call, string action, string by) =>
        _program.WriteGlobal(new GlobalKey(SavedFiles.Owner, DirectoryKey(directory)),
            put.Step(_module, call.Span.Start, $"{action} the directory '{ShownModulePath(directory)}'{by}"));

    /// <summary>Records <paramref name="data"/> saved at <paramref name="at"/> to the file <paramref name="path"/> names, if module variables hold it.</summary>
    private void SaveToModulePath(Expr path, TaintValue data, Node at)
    {
        if (ModulePath(path) is { } file)
        {
            _program.WriteGlobal(new GlobalKey(SavedFiles.Owner, file), data.Step(_module, at.Span.Start, $"saved to '{ShownModulePath(file)}'"));
        }
    }

    /// <summary>
    /// What any function of the program saved to the file <paramref name="expr"/> names when module variables hold it, or
    /// put into a directory module variables hold above it (<see cref="ParentDirectory"/>), read back at <paramref name="at"/>.
    /// </summary>
    private TaintValue SavedAtModulePath(Expr expr, Node at, string use)
    {
        if (ModulePath(expr) is { } file && _program.ReadGlobal(new GlobalKey(SavedFiles.Owner, file)) is { IsClean: false } saved)
        {
            return saved.Step(_module, at.Span.Start, $"{use} '{ShownModulePath(file)}'");
        }
        for (var depth = 0; depth < MaxPathDepth && ParentDirectory(SamePath(expr)) is { } directory; depth++)
        {
            if (ModulePath(directory) is { } key && _program.ReadGlobal(new GlobalKey(SavedFiles.Owner, DirectoryKey(key))) is { IsClean: false } put)
            {
                return put.Step(_module, at.Span.Start, $"{use} a file in '{ShownModulePath(key)}'");
            }
            expr = directory;
        }
        return TaintValue.Clean;
    }
}
