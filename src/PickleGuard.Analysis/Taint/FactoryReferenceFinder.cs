using System.Collections.Concurrent;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Finds which of some function names occur in the project other than as the callee of a call (<c>f</c> in
/// <c>f(...)</c>, <c>m.f</c> in <c>m.f(...)</c>): passed, stored, decorated with, aliased. By name, over every module:
/// a reference to another function of the same name counts too, which only makes fewer factories.
/// </summary>
internal sealed class FactoryReferenceFinder : AstWalker
{
    private readonly HashSet<string> _names;
    private readonly HashSet<string> _found;

    private FactoryReferenceFinder(HashSet<string> names, HashSet<string> found)
    {
        _names = names;
        _found = found;
    }

    /// <summary>The names among <paramref name="names"/> referenced as a value somewhere in the project (modules walked in parallel).</summary>
    public static HashSet<string> ValueReferences(ProjectIndex index, IEnumerable<string> names, CancellationToken ct)
    {
        var wanted = new HashSet<string>(names, StringComparer.Ordinal);
        var found = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var modules = index.Modules;
        Parallel.For(0, modules.Count, new ParallelOptions { CancellationToken = ct }, () => new HashSet<string>(StringComparer.Ordinal),
            (m, _, local) =>
            {
                var finder = new FactoryReferenceFinder(wanted, local);
                foreach (var statement in modules[m].Parse.Module.Body)
                {
                    finder.Walk(statement);
                }
                return local;
            },
            local =>
            {
                foreach (var name in local)
                {
                    found.TryAdd(name, true);
                }
            });
        return new HashSet<string>(found.Keys, StringComparer.Ordinal);
    }

    public override void VisitNameExpr(NameExpr node)
    {
        if (_names.Contains(node.Id))
        {
            _found.Add(node.Id);
        }
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (_names.Contains(node.Attr))
        {
            _found.Add(node.Attr);
        }
        base.VisitAttributeExpr(node);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        switch (node.Func)
        {
            case NameExpr:
                break;
            case AttributeExpr method:
                method.Value.Accept(this);
                break;
            default:
                node.Func.Accept(this);
                break;
        }
        WalkList(node.Args);
        WalkList(node.Keywords);
    }
}
