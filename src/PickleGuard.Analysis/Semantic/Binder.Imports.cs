using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

internal sealed partial class Binder
{
    public override void VisitImportStmt(ImportStmt node)
    {
        var modules = new List<string>();
        foreach (var alias in node.Names)
        {
            modules.Add(alias.Name);
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
        if (module is null)
        {
            foreach (var alias in node.Names)
            {
                Add(alias.Asname ?? alias.Name, BindingKind.Other, alias, null, node.Span.End);
            }
            return;
        }
        foreach (var alias in node.Names)
        {
            if (alias.Name == "*")
            {
                _scope.AddStarImport(module);
                continue;
            }
            Add(alias.Asname ?? alias.Name, BindingKind.ImportFrom, alias, null, node.Span.End, importedName: module + "." + alias.Name);
        }
    }
}
