using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Directories held by module variables set at import (<see cref="IsModuleVariableSetAtImport"/>; bark's
/// <c>CACHE_DIR = os.path.join(os.getenv(...), "suno", "bark_v0")</c>): such a variable names the same directory in
/// every function of its module, as a literal one does in the whole program, so what one function downloads or extracts
/// into it (<c>_download</c>: <c>hf_hub_download(..., local_dir=CACHE_DIR)</c>) is a fact of the program, read back by
/// a path joined onto the same variable in another function (<c>_get_ckpt_path</c> returns <c>os.path.join(CACHE_DIR,
/// name)</c>, which <c>_load_model</c> loads); so is a file saved at such a path. The key names the module's file and
/// the variable, so another module's variable of the same name, or another variable, says nothing of that directory.
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>Starts the key of a path held by module variables (<see cref="ModulePath"/>): no real path or local key starts so.</summary>
    private const char ModulePathMark = '\u0002';

    /// <summary><see cref="ModuleVariableKey"/> as a delegate, made once per analyzer.</summary>
    private readonly LeafKey _moduleVariableKey;

    /// <summary>
    /// The program-wide key of a path made of literals and module variables set at import (at least one), in a function;
    /// else null.
    /// </summary>
    private string? ModulePath(Expr expr) =>
        _unit.Function is not null && PathKey(expr, 0, _moduleVariableKey) is (var text, true) ? ModulePathMark + _module.Path + ModulePathMark + text : null;

    /// <summary>A module variable set at import, as its name (the key's module part is added by <see cref="ModulePath"/>).</summary>
    private (string Text, bool Named)? ModuleVariableKey(Expr leaf, int depth) =>
        leaf is NameExpr name && !IsLocal(name.Id) && IsModuleVariableSetAtImport(name.Id) ? (name.Id, true) : null;

    /// <summary>The path a module path key shows: its text without the module's file.</summary>
    private static string ShownModulePath(string key) => key[(key.IndexOf(ModulePathMark, 1) + 1)..];

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
