using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

internal sealed partial class Binder
{
    public override void VisitListCompExpr(ListCompExpr node) => VisitComprehension(node, node.Generators, node.Elt);

    public override void VisitSetCompExpr(SetCompExpr node) => VisitComprehension(node, node.Generators, node.Elt);

    public override void VisitGeneratorExpr(GeneratorExpr node) => VisitComprehension(node, node.Generators, node.Elt);

    public override void VisitDictCompExpr(DictCompExpr node) => VisitComprehension(node, node.Generators, node.Key, node.Value);

    // Two element parameters, not `params`: an array per comprehension otherwise.
    private void VisitComprehension(Expr node, IReadOnlyList<Comprehension> generators, Expr element, Expr? value = null)
    {
        var savedScope = _scope;
        var savedBlocks = _blocks;
        _blocks = BlockPath.Root(_nextBlockId++);
        _scope = new Scope(ScopeKind.Comprehension, node, savedScope, _module, _blocks);
        foreach (var generator in generators)
        {
            WalkExpr(generator.Iter);
            BindTarget(generator.Target, generator.Iter, BindingKind.ComprehensionTarget, generator.Target.Span.End);
            WalkTargetChildren(generator.Target);
            WalkExprs(generator.Ifs);
        }
        WalkExpr(element);
        WalkExpr(value);
        _scope.Seal();
        _scope = savedScope;
        _blocks = savedBlocks;
    }
}
