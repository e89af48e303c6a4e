using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// The <c>self.attr = v</c> stores of a class's <c>__init__</c> that no other method can see: each is overwritten by a
/// later store of the same attribute in a statement of <c>__init__</c>'s own body (so on every path that finishes the
/// constructor), and from the constructor's start to that store the object never escapes (<see cref="EscapeFinder"/>).
/// detectron2's <c>self._lst = lst</c> then <c>self._lst = [_serialize(x) for x in self._lst]</c>: other methods only
/// ever read the serialized list. A base class's property of the same name (whose setter would run) is not looked for.
/// </summary>
internal static class InitOverwrites
{
    public static IReadOnlySet<AttributeExpr> Of(ClassInfo cls)
    {
        var init = cls.Node.Body.OfType<FunctionDefStmt>().LastOrDefault(f => f.Name == "__init__");
        if (init is null || init.DecoratorList.Count > 0 || FirstParameter(init.Args) is not { } self)
        {
            return Empty;
        }
        var hidden = new HashSet<AttributeExpr>();
        var pending = new Dictionary<string, List<AttributeExpr>>(StringComparer.Ordinal);
        var escapes = new EscapeFinder(cls, self);
        foreach (var statement in init.Body)
        {
            if (statement is AssignStmt assign && assign.Targets.All(t => OwnStore(t, cls, self) is not null))
            {
                if (escapes.In(assign.Value))
                {
                    break;
                }
                foreach (var target in assign.Targets)
                {
                    var store = OwnStore(target, cls, self)!;
                    if (pending.Remove(store.Attr, out var overwritten))
                    {
                        hidden.UnionWith(overwritten);
                    }
                    AddPending(pending, store);
                }
                continue;
            }
            if (escapes.In(statement))
            {
                break;
            }
            foreach (var store in StoresIn(statement, cls, self))
            {
                AddPending(pending, store);
            }
        }
        return hidden.Count > 0 ? hidden : Empty;
    }

    private static readonly HashSet<AttributeExpr> Empty = [];

    /// <summary>A store a later top-level store of its attribute would overwrite.</summary>
    private static void AddPending(Dictionary<string, List<AttributeExpr>> pending, AttributeExpr store)
    {
        if (!pending.TryGetValue(store.Attr, out var stores))
        {
            pending[store.Attr] = stores = [];
        }
        stores.Add(store);
    }

    private static string? FirstParameter(Arguments args) =>
        args.Posonlyargs.Count > 0 ? args.Posonlyargs[0].ArgValue : args.Args.Count > 0 ? args.Args[0].ArgValue : null;

    /// <summary><c>self.attr</c> as a plain store target, for an attribute the class body does not define (no property or method).</summary>
    private static AttributeExpr? OwnStore(Expr target, ClassInfo cls, string self) =>
        target is AttributeExpr { Value: NameExpr owner } attribute && owner.Id == self && cls.BodyScope.BindingsOf(attribute.Attr).Count == 0
            ? attribute
            : null;

    /// <summary>The plain <c>self.attr = v</c> stores anywhere in a statement (inside its blocks, not in nested functions).</summary>
    private static IEnumerable<AttributeExpr> StoresIn(Stmt statement, ClassInfo cls, string self)
    {
        var finder = new StoreFinder();
        statement.Accept(finder);
        return finder.Targets.Select(t => OwnStore(t, cls, self)).OfType<AttributeExpr>();
    }

    private sealed class StoreFinder : OwnBodyWalker
    {
        public List<Expr> Targets { get; } = [];

        protected override bool Enters(Node scope) => false;

        public override void VisitAssignStmt(AssignStmt node)
        {
            Targets.AddRange(node.Targets);
            base.VisitAssignStmt(node);
        }
    }

    /// <summary>
    /// Whether code may let another method see the object: <c>self</c> other than in <c>self.attr</c> for an attribute
    /// the constructor stores and the class body does not define (a call passing <c>self</c>, a method or property of
    /// <c>self</c>, a nested function or lambda naming <c>self</c>), <c>super</c>/<c>locals</c>/<c>vars</c>, or a
    /// <c>return</c>/<c>yield</c> (a path on which a later store does not run).
    /// </summary>
    private sealed class EscapeFinder(ClassInfo cls, string self) : AstWalker
    {
        private bool _escapes;
        private int _nested;

        public bool In(Node node)
        {
            node.Accept(this);
            return _escapes;
        }

        public override void VisitAttributeExpr(AttributeExpr node)
        {
            if (_nested == 0 && node.Value is NameExpr { } owner && owner.Id == self
                && cls.InstanceAttributes.ContainsKey(node.Attr) && cls.BodyScope.BindingsOf(node.Attr).Count == 0)
            {
                return;
            }
            base.VisitAttributeExpr(node);
        }

        public override void VisitNameExpr(NameExpr node) =>
            _escapes |= node.Id == self || node.Id is "super" or "locals" or "vars";

        public override void VisitReturnStmt(ReturnStmt node)
        {
            _escapes |= _nested == 0;
            base.VisitReturnStmt(node);
        }

        public override void VisitYieldExpr(YieldExpr node)
        {
            _escapes |= _nested == 0;
            base.VisitYieldExpr(node);
        }

        public override void VisitYieldFromExpr(YieldFromExpr node)
        {
            _escapes |= _nested == 0;
            base.VisitYieldFromExpr(node);
        }

        public override void VisitFunctionDefStmt(FunctionDefStmt node) => Nested(() => base.VisitFunctionDefStmt(node));

        public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node) => Nested(() => base.VisitAsyncFunctionDefStmt(node));

        public override void VisitLambdaExpr(LambdaExpr node) => Nested(() => base.VisitLambdaExpr(node));

        public override void VisitClassDefStmt(ClassDefStmt node) => Nested(() => base.VisitClassDefStmt(node));

        private void Nested(Action walk)
        {
            _nested++;
            walk();
            _nested--;
        }
    }
}
