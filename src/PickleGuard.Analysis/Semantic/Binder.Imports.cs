using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

internal sealed partial class Binder
{
    public override void VisitImportStmt(ImportStmt node)
    {
        // Index loops and an exact array: no enumerator and no list per import statement (here and below).
        var names = node.Names;
        var modules = new string[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var alias = names[i];
            modules[i] = alias.Name;
            if (alias.Asname is { } asName)
            {
                Add(asName, BindingKind.Import, alias, null, node.Span.End, importedName: alias.Name);
            }
            else
            {
                // `import a.b.c` binds `a`; attribute access walks down from there.
                var top = alias.Name.IndexOf('.') is >= 0 and var dot ? alias.Name[..dot] : alias.Name;
                Add(top, BindingKind.Import, alias, null, node.Span.End, importedName: top);
            }
        }
        _imports.Add(new ImportSite(node, modules, IsRelative: false));
    }

    public override void VisitImportFromStmt(ImportFromStmt node)
    {
        var module = _module.ResolveRelative(node.Level, node.Module);
        _imports.Add(new ImportSite(node, module is null ? [] : [module], IsRelative: node.Level > 0));
        var names = node.Names;
        if (module is null)
        {
            for (var i = 0; i < names.Count; i++)
            {
                var alias = names[i];
                Add(alias.Asname ?? alias.Name, BindingKind.Other, alias, null, node.Span.End);
            }
            return;
        }
        for (var i = 0; i < names.Count; i++)
        {
            var alias = names[i];
            if (alias.Name == "*")
            {
                _scope.AddStarImport(module);
                continue;
            }
            Add(alias.Asname ?? alias.Name, BindingKind.ImportFrom, alias, null, node.Span.End, importedName: module + "." + alias.Name);
        }
    }
}
