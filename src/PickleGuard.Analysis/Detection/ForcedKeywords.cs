using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// A keyword a call's <c>**name</c> gives because the function stores it in that dict just before the call: sktime's
/// <c>def patched_load(*args, **kwargs): kwargs["weights_only"] = False; return original_load(*args, **kwargs)</c>.
/// Whatever the dict held when the function got it, the store decides the keyword. Only a plain store counts
/// (<c>name["key"] = v</c>, <c>name.update(key=v)</c>); <c>name.setdefault("key", v)</c> leaves a value the caller gave.
/// Found only where nothing else can change the dict between the store and the call: the statements between them
/// touch the name only to store other constant keys, no loop encloses the call, the call's statement names it only
/// in its <c>**</c>, and the function never lets the dict escape (it is only subscripted, a method of it called, or
/// unpacked; no nested function reads it), so no alias of it is changed either. A store made under an <c>if</c> whose
/// other branch runs only on library releases without the keyword counts too (<c>if is_torch_version("&gt;=", "1.13"):
/// kwargs["weights_only"] = True</c>, given the caller's <c>newerBranch</c>): no call can give the keyword there.
/// </summary>
internal static class ForcedKeywords
{
    /// <summary>
    /// The store forcing <paramref name="keyword"/> into the dict <paramref name="name"/> before <paramref name="call"/> in
    /// the function <paramref name="scope"/>, with the value stored; null when none provably does. <paramref name="newerBranch"/>
    /// gives the branch of an <c>if</c> taken wherever the library has the keyword (<see cref="VersionGates"/>), if any.
    /// </summary>
    public static (Stmt Store, Expr Value)? Find(Scope scope, CallExpr call, string name, string keyword, Func<IfStmt, IReadOnlyList<Stmt>?>? newerBranch = null)
    {
        var body = scope.Node switch
        {
            FunctionDefStmt function => function.Body,
            AsyncFunctionDefStmt function => function.Body,
            _ => null,
        };
        if (body is null || Escapes(body, name) || PathTo(body, call.Span, name) is not { } path)
        {
            return null;
        }
        var (list, index) = path[^1];
        if (NameCounter.Count(list[index], name).Total != 1)
        {
            return null; // the call's statement reads the dict elsewhere too (`f(**kwargs) if kwargs.pop(...) else ...`)
        }
        for (var level = path.Count - 1; level >= 0; level--)
        {
            (list, index) = path[level];
            if (LastEffect(list, index, name, keyword, newerBranch) is var (store, value))
            {
                return store is null ? null : (store, value!);
            }
        }
        return null;
    }

    /// <summary>The store forcing the keyword among the statements before <paramref name="index"/>, the last first; (null, null) when one of them may change it otherwise; null when none names it.</summary>
    private static (Stmt? Store, Expr? Value)? LastEffect(IReadOnlyList<Stmt> list, int index, string name, string keyword, Func<IfStmt, IReadOnlyList<Stmt>?>? newerBranch)
    {
        for (var i = index - 1; i >= 0; i--)
        {
            switch (Classify(list[i], name, keyword, newerBranch))
            {
                case (Effect.Forces, var value): return (list[i], value);
                case (Effect.Blocks, _): return (null, null);
            }
        }
        return null;
    }

    private enum Effect
    {
        None,
        Forces,
        Blocks,
    }

    /// <summary>What a statement before the call does to the keyword: nothing (it does not name the dict, or stores another constant key), forces it, or may change it.</summary>
    private static (Effect, Expr?) Classify(Stmt statement, string name, string keyword, Func<IfStmt, IReadOnlyList<Stmt>?>? newerBranch)
    {
        if (!NameCollector.Of(statement).Contains(name))
        {
            return (Effect.None, null);
        }
        switch (statement)
        {
            case AssignStmt { Targets: [SubscriptExpr { Value: NameExpr owner, Slice: ConstantExpr { Value.Type: ConstantType.Str } key }], Value: var value }
                when owner.Id == name && !NameCollector.Of(value).Contains(name):
                return key.Value.AsString == keyword ? (Effect.Forces, value) : (Effect.None, null);
            case ExprStmt { Value: CallExpr { Func: AttributeExpr { Value: NameExpr owner, Attr: "update" }, Args: [] } update }
                when owner.Id == name && update.Keywords.All(k => k.Arg is not null && !NameCollector.Of(k.Value).Contains(name)):
                return update.Keywords.FirstOrDefault(k => k.Arg == keyword) is { } given ? (Effect.Forces, given.Value) : (Effect.None, null);
            case ExprStmt { Value: CallExpr { Func: AttributeExpr { Value: NameExpr owner, Attr: "setdefault" }, Args: [ConstantExpr { Value.Type: ConstantType.Str } key, var value], Keywords: [] } }
                when owner.Id == name && !NameCollector.Of(value).Contains(name):
                return key.Value.AsString == keyword ? (Effect.Blocks, null) : (Effect.None, null); // a value the caller gave stays
            case IfStmt gated when !NameCollector.Of(gated.Test).Contains(name) && newerBranch?.Invoke(gated) is { } newer:
                // Wherever the library has the keyword this branch runs; its last effect on the keyword decides.
                return LastEffect(newer, newer.Count, name, keyword, newerBranch) is ({ }, var forced) ? (Effect.Forces, forced) : (Effect.Blocks, null);
            default:
                return (Effect.Blocks, null);
        }
    }

    /// <summary>
    /// The statement lists from the function's body down to the statement holding the call, each with the index of
    /// the statement leading there; null when a loop encloses the call (a later iteration may change the dict after
    /// the store), when a block's header names the dict, or when a statement kind is not followed.
    /// </summary>
    private static List<(IReadOnlyList<Stmt> List, int Index)>? PathTo(IReadOnlyList<Stmt> body, TextSpan at, string name)
    {
        var path = new List<(IReadOnlyList<Stmt>, int)>();
        var list = body;
        while (true)
        {
            var index = IndexHolding(list, at);
            if (index < 0)
            {
                return null;
            }
            path.Add((list, index));
            IReadOnlyList<Stmt>? inner;
            switch (list[index])
            {
                case IfStmt branch when !NameCollector.Of(branch.Test).Contains(name):
                    inner = IndexHolding(branch.Body, at) >= 0 ? branch.Body : IndexHolding(branch.Orelse, at) >= 0 ? branch.Orelse : null;
                    break;
                case WithStmt block when !block.Items.Any(i => NameCollector.Of(i).Contains(name)):
                    inner = block.Body;
                    break;
                case AsyncWithStmt block when !block.Items.Any(i => NameCollector.Of(i).Contains(name)):
                    inner = block.Body;
                    break;
                case TryStmt attempt:
                    inner = new[] { attempt.Body, attempt.Orelse, attempt.Finalbody }.Concat(attempt.Handlers.Select(h => h.Body))
                        .FirstOrDefault(b => IndexHolding(b, at) >= 0);
                    break;
                case ExprStmt or ReturnStmt or AssignStmt or AnnAssignStmt or AugAssignStmt:
                    return path; // the call's own statement
                default:
                    return null;
            }
            if (inner is null)
            {
                return null; // the call is in the block's header
            }
            list = inner;
        }
    }

    private static int IndexHolding(IReadOnlyList<Stmt> list, TextSpan at)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Span.Start <= at.Start && at.End <= list[i].Span.End)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Whether the dict may be reached through another name: it is read anywhere but as <c>name[...]</c>, <c>name.method</c> or <c>**name</c>, or inside a nested function (the name rebound is no read).</summary>
    private static bool Escapes(IReadOnlyList<Stmt> body, string name)
    {
        var counter = new NameCounter(name);
        foreach (var statement in body)
        {
            counter.Walk(statement);
        }
        return counter.Total != counter.AsOwner || counter.Nested > 0;
    }

    /// <summary>Counts the reads of one name (not its bindings): in all, as the owner of a subscript, attribute or <c>**</c>, and inside nested functions, lambdas and classes.</summary>
    private sealed class NameCounter(string name) : AstWalker
    {
        private int _depth;

        public int Total { get; private set; }

        public int AsOwner { get; private set; }

        public int Nested { get; private set; }

        public static NameCounter Count(Node node, string name)
        {
            var counter = new NameCounter(name);
            counter.Walk(node);
            return counter;
        }

        public override void VisitNameExpr(NameExpr node)
        {
            // Rebinding the name (`kwargs = {"map_location": "cpu"}`) lets no other name reach the dict; the walk back
            // from the call stops at it (Classify). A nested function's binding still counts (it may be `nonlocal`).
            if (node.Id == name && (node.Ctx != ExprContext.Store || _depth > 0))
            {
                Total++;
                Nested += _depth > 0 ? 1 : 0;
            }
        }

        public override void VisitSubscriptExpr(SubscriptExpr node)
        {
            CountOwner(node.Value);
            base.VisitSubscriptExpr(node);
        }

        public override void VisitAttributeExpr(AttributeExpr node)
        {
            CountOwner(node.Value);
            base.VisitAttributeExpr(node);
        }

        public override void VisitKeyword(Keyword node)
        {
            if (node.Arg is null)
            {
                CountOwner(node.Value);
            }
            base.VisitKeyword(node);
        }

        public override void VisitFunctionDefStmt(FunctionDefStmt node) => Nest(() => base.VisitFunctionDefStmt(node));

        public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node) => Nest(() => base.VisitAsyncFunctionDefStmt(node));

        public override void VisitLambdaExpr(LambdaExpr node) => Nest(() => base.VisitLambdaExpr(node));

        public override void VisitClassDefStmt(ClassDefStmt node) => Nest(() => base.VisitClassDefStmt(node));

        private void CountOwner(Expr owner) => AsOwner += owner is NameExpr { Id: var id } && id == name ? 1 : 0;

        private void Nest(Action walk)
        {
            _depth++;
            walk();
            _depth--;
        }
    }
}
