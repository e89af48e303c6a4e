using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// How code fills a dict in place (OctoPrint's view cache: <c>self._cache = {}</c>, <c>self._cache[key] = (t,
/// pickle.dumps(value))</c>): the values stored into its items (<c>d[k] = v</c>, <c>d.setdefault(k, v)</c>) and those
/// bound to the holder itself (<c>d = {}</c>, <c>self.d = {}</c>), each with the scope it is evaluated in, and the keys
/// stored under — or that a use cannot be followed (passed on, returned, iterated, <c>update</c>d with a mapping, an
/// item stored by an augmented or unpacking assignment), after which anything may be in it. <c>d.update(k=v)</c> stores
/// items by name. Uses that add nothing are allowed: <c>d[k]</c>, <c>del d[k]</c>,
/// <c>d.get/pop/popitem/keys/values/items/clear/copy(...)</c>, those methods taken whole (<c>self.clear =
/// self._cache.clear</c>), <c>k in d</c>, <c>len(d)</c>, <c>f(**d)</c> (the callee gets a copy). Which expressions are the
/// holder is the caller's to say.
/// </summary>
internal sealed class FilledDictChecker : AstWalker
{
    private static readonly HashSet<string> Readers = new(StringComparer.Ordinal) { "get", "pop", "popitem", "keys", "values", "items", "clear", "copy" };

    private readonly Func<Expr, Scope, bool> _isHolder;
    private readonly ModuleModel _module;
    private readonly Stack<Scope> _scopes = new();

    private FilledDictChecker(ModuleModel module, Func<Expr, Scope, bool> isHolder)
    {
        _module = module;
        _isHolder = isHolder;
        _scopes.Push(module.ModuleScope);
    }

    /// <summary>The values put into the dict's items, with the scope each is evaluated in.</summary>
    public List<(Expr Value, Scope Scope)> Items { get; } = [];

    /// <summary>The values bound to the holder itself (displays are what the caller accepts).</summary>
    public List<(Expr Value, Scope Scope)> Bound { get; } = [];

    /// <summary>The constant string keys items are stored under.</summary>
    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>An item was stored under a key that is not a constant string (<c>d[name] = v</c>).</summary>
    public bool UnknownKeys { get; private set; }

    /// <summary>A use the check cannot follow was seen.</summary>
    public bool Escapes { get; private set; }

    /// <summary>Walks <paramref name="node"/> of <paramref name="module"/> (in <paramref name="scope"/>) for uses of what <paramref name="isHolder"/> says is the dict.</summary>
    public static FilledDictChecker Walk(ModuleModel module, Node node, Scope scope, Func<Expr, Scope, bool> isHolder)
    {
        var checker = new FilledDictChecker(module, isHolder);
        checker._scopes.Push(scope);
        checker.Walk(node);
        return checker;
    }

    private Scope Current => _scopes.Peek();

    private bool IsHolder(Expr? expr) => expr is not null && _isHolder(expr, Current);

    public override void VisitFunctionDefStmt(FunctionDefStmt node) => InScopeOf(node, () => base.VisitFunctionDefStmt(node));

    public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node) => InScopeOf(node, () => base.VisitAsyncFunctionDefStmt(node));

    public override void VisitLambdaExpr(LambdaExpr node) => InScopeOf(node, () => base.VisitLambdaExpr(node));

    public override void VisitClassDefStmt(ClassDefStmt node)
    {
        _scopes.Push(_module.Classes.TryGetValue(node, out var cls) ? cls.BodyScope : Current);
        base.VisitClassDefStmt(node);
        _scopes.Pop();
    }

    private void InScopeOf(Node function, Action walk)
    {
        _scopes.Push(_module.Functions.TryGetValue(function, out var info) ? info.Scope : Current);
        walk();
        _scopes.Pop();
    }

    public override void VisitAssignStmt(AssignStmt node)
    {
        foreach (var target in node.Targets)
        {
            Target(target, node.Value);
        }
        Walk(node.Value);
    }

    public override void VisitAnnAssignStmt(AnnAssignStmt node)
    {
        if (node.Value is null)
        {
            return; // `self._cache: dict`: an annotation binds nothing
        }
        Target(node.Target, node.Value);
        Walk(node.Value);
    }

    /// <summary>A plain assignment's target: an item of the dict, the holder itself, or anything else (walked).</summary>
    private void Target(Expr target, Expr value)
    {
        if (target is SubscriptExpr item && IsHolder(item.Value))
        {
            Items.Add((value, Current));
            KeyOf(item.Slice);
            Walk(item.Slice);
        }
        else if (IsHolder(target))
        {
            Bound.Add((value, Current));
        }
        else
        {
            Walk(target);
        }
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (node.Func is AttributeExpr { Attr: var method } called && IsHolder(called.Value))
        {
            if (method == "setdefault" && node.Keywords.Count == 0 && node.Args.Count is 1 or 2)
            {
                KeyOf(node.Args[0]);
                if (node.Args.Count == 2)
                {
                    Items.Add((node.Args[1], Current));
                }
            }
            else if (method == "update" && node.Args.Count == 0 && node.Keywords.All(k => k.Arg is not null))
            {
                foreach (var keyword in node.Keywords)
                {
                    Items.Add((keyword.Value, Current));
                    Keys.Add(keyword.Arg!);
                }
            }
            else if (!Readers.Contains(method))
            {
                Escapes = true; // `update`, or a method of something that is not a dict
            }
            WalkList(node.Args);
            WalkList(node.Keywords);
            return;
        }
        if (node.Func is NameExpr { Id: "len" } && node.Args.Count == 1 && node.Keywords.Count == 0 && IsHolder(node.Args[0]))
        {
            return;
        }
        base.VisitCallExpr(node);
    }

    /// <summary>Notes the key an item is stored under.</summary>
    private void KeyOf(Expr key)
    {
        if (key is ConstantExpr { Value.Type: ConstantType.Str } constant)
        {
            Keys.Add(constant.Value.AsString!);
        }
        else
        {
            UnknownKeys = true;
        }
    }

    /// <summary><c>f(**d)</c> unpacks a copy of the items: the dict itself is not handed on.</summary>
    public override void VisitKeyword(Keyword node)
    {
        if (node.Arg is null && IsHolder(node.Value))
        {
            return;
        }
        base.VisitKeyword(node);
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (IsHolder(node))
        {
            Escapes = true; // reached as itself: passed on, returned, iterated, an unpacking or augmented target
            return;
        }
        if (node.Ctx == ExprContext.Load && Readers.Contains(node.Attr) && IsHolder(node.Value))
        {
            return; // `self.clear = self._cache.clear`
        }
        base.VisitAttributeExpr(node);
    }

    public override void VisitNameExpr(NameExpr node) => Escapes |= IsHolder(node);

    public override void VisitSubscriptExpr(SubscriptExpr node)
    {
        if (IsHolder(node.Value))
        {
            // A read or a `del` of an item adds nothing; a store reached here is an augmented or unpacking one.
            Escapes |= node.Ctx == ExprContext.Store;
            Walk(node.Slice);
            return;
        }
        base.VisitSubscriptExpr(node);
    }

    public override void VisitCompareExpr(CompareExpr node)
    {
        if (node.Ops is [CompareOperator.In or CompareOperator.NotIn] && IsHolder(node.Comparators[0]))
        {
            Walk(node.Left);
            return;
        }
        base.VisitCompareExpr(node);
    }
}
