using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// The dict a call's <c>**</c> unpacks when its callee is one API, for a callee and a dict the same condition chooses
/// (trl's value head: <c>loading_func = safe_load_file if use_safe else torch.load</c> and <c>load_kwargs = {} if use_safe
/// else {"map_location": "cpu", "weights_only": True}</c>, then <c>loading_func(path, **load_kwargs)</c>: torch.load only
/// ever gets <c>weights_only=True</c>). Both names are locals of the function bound only there, before the call, in
/// one of two shapes:
/// <list type="bullet">
/// <item>each to a conditional expression, the two statements in one block around the call, both tests the same local
/// (or its <c>not</c>), which nothing rebinds from the first statement to the end of the second;</item>
/// <item>each in both branches of one <c>if</c>/<c>else</c>, directly in the branch, the <c>if</c> before the call in
/// a block around it: one evaluation of the test picks both.</item>
/// </list>
/// The API must come from one side only; the dict is what the other name holds on that side. Anything else (another
/// test, a third binding, a dict changed in place) is left to the caller's usual reading.
/// </summary>
internal static class CorrelatedChoices
{
    /// <summary>Statements nested deeper than this are not searched for the <c>if</c> that binds both names.</summary>
    private const int MaxDepth = 32;

    /// <summary>The dict display <paramref name="splatted"/> holds when <paramref name="call"/>'s callee is <paramref name="api"/>; null when not known.</summary>
    public static DictExpr? KeywordsChosenWith(ValueResolver resolver, CallExpr call, Expr splatted, EvalContext context, ApiValue api)
    {
        var scope = context.Scope;
        if (call.Func is not NameExpr { Id: var callee } || splatted is not NameExpr { Id: var keywords }
            || !context.Module.Functions.TryGetValue(scope.Node, out var function) || ChangedInPlace(context.Module, function, keywords)
            || !IsLocal(scope, callee) || !IsLocal(scope, keywords))
        {
            return null;
        }
        var loaders = scope.BindingsOf(callee);
        var dicts = scope.BindingsOf(keywords);
        if (!loaders.Concat(dicts).All(b => b is { Kind: BindingKind.Assignment, Augments: false, Element: < 0, Node: NameExpr } && b.Offset <= context.Offset))
        {
            return null;
        }
        var chosen = (loaders, dicts) switch
        {
            ([var loader], [var dict]) => FromConditionals(resolver, loader, dict, context, api),
            ([_, _], [_, _]) => FromBranches(resolver, function, loaders, dicts, context, api),
            _ => null,
        };
        return chosen is var (value, binding) ? resolver.DictDisplayOf(value, EvalContext.Of(binding)) : null;
    }

    /// <summary><c>f = A if c else B</c> and <c>kw = X if c else Y</c> (either first, either test negated): X or Y, by the side <paramref name="api"/> comes from.</summary>
    private static (Expr, Binding)? FromConditionals(ValueResolver resolver, Binding loader, Binding dict, EvalContext context, ApiValue api)
    {
        if (loader.Value is not IfExpr picked || dict.Value is not IfExpr keywords || loader.Blocks.Id != dict.Blocks.Id
            || !context.Blocks.Contains(loader.Blocks.Id)
            || TestedLocal(picked.Test) is not var (name, pickNegated) || TestedLocal(keywords.Test) is not var (other, dictNegated) || other != name
            || !IsLocal(context.Scope, name))
        {
            return null;
        }
        var from = Math.Min(loader.Node.Span.Start, dict.Node.Span.Start);
        var to = Math.Max(loader.Offset, dict.Offset);
        if (context.Scope.BindingsOf(name).Any(b => b.Offset > from && b.Offset <= to)
            || SideOf(resolver.Resolve(picked.Body, EvalContext.Of(loader)), resolver.Resolve(picked.Orelse, EvalContext.Of(loader)), api) is not { } inBody)
        {
            return null;
        }
        // The test is true on the body's side: the local's truth is the side, flipped by `not`.
        var truth = inBody != pickNegated;
        return (truth != dictNegated ? keywords.Body : keywords.Orelse, dict);
    }

    /// <summary><c>if c: f = A; kw = X</c> / <c>else: f = B; kw = Y</c>: X or Y, by the branch <paramref name="api"/> comes from.</summary>
    private static (Expr, Binding)? FromBranches(ValueResolver resolver, FunctionInfo function, IReadOnlyList<Binding> loaders, IReadOnlyList<Binding> dicts,
        EvalContext context, ApiValue api)
    {
        if (FindIf(function.Body, loaders[0].Node, loaders[1].Node, 0) is not { } branching || context.Offset < branching.Span.End)
        {
            return null;
        }
        var (loaderIn, loaderOut) = DirectlyIn(branching.Body, loaders[0]) ? (loaders[0], loaders[1]) : (loaders[1], loaders[0]);
        var (dictIn, dictOut) = DirectlyIn(branching.Body, dicts[0]) ? (dicts[0], dicts[1]) : (dicts[1], dicts[0]);
        // The `if` runs before the call on every path to it: its block (the one around its body's) is around the call.
        if (!DirectlyIn(branching.Body, loaderIn) || !DirectlyIn(branching.Body, dictIn) || !DirectlyIn(branching.Orelse, loaderOut)
            || !DirectlyIn(branching.Orelse, dictOut) || loaderIn.Blocks.Parent is not { } around || !context.Blocks.Contains(around.Id)
            || SideOf(resolver.ResolveBinding(loaderIn), resolver.ResolveBinding(loaderOut), api) is not { } inBody)
        {
            return null;
        }
        var dict = inBody ? dictIn : dictOut;
        return (dict.Value!, dict);
    }

    /// <summary>The <c>if</c> one of whose branches holds <paramref name="one"/> directly and the other <paramref name="other"/>.</summary>
    private static IfStmt? FindIf(IReadOnlyList<Stmt> block, Node one, Node other, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        foreach (var statement in block)
        {
            if (statement.Span.Start > one.Span.Start || one.Span.End > statement.Span.End)
            {
                continue;
            }
            if (statement is IfStmt branching && (Holds(branching.Body, one) && Holds(branching.Orelse, other) || Holds(branching.Body, other) && Holds(branching.Orelse, one)))
            {
                return branching;
            }
            foreach (var child in GuardWalker.ChildBlocks(statement))
            {
                if (FindIf(child, one, other, depth + 1) is { } found)
                {
                    return found;
                }
            }
            return null;
        }
        return null;
    }

    private static bool DirectlyIn(IReadOnlyList<Stmt> block, Binding binding) => Holds(block, binding.Node);

    /// <summary>Whether an assignment statement of <paramref name="block"/> itself (not one nested in it) holds <paramref name="node"/>.</summary>
    private static bool Holds(IReadOnlyList<Stmt> block, Node node) =>
        block.Any(s => s is AssignStmt or AnnAssignStmt && s.Span.Start <= node.Span.Start && node.Span.End <= s.Span.End);

    /// <summary>True when <paramref name="api"/> is among the body's values only, false when among the other side's only; else null.</summary>
    private static bool? SideOf(IReadOnlyList<SymbolicValue> body, IReadOnlyList<SymbolicValue> orelse, ApiValue api) =>
        (body.Contains(api), orelse.Contains(api)) switch
        {
            (true, false) => true,
            (false, true) => false,
            _ => null,
        };

    /// <summary>The local a test reads, <c>c</c> or <c>not c</c>, and whether it is negated.</summary>
    private static (string Name, bool Negated)? TestedLocal(Expr test) => test switch
    {
        NameExpr { Id: var name } => (name, false),
        UnaryOpExpr { Op: UnaryOperator.Not, Operand: NameExpr { Id: var name } } => (name, true),
        _ => null,
    };

    /// <summary>Whether <paramref name="function"/> or a function nested in it changes the dict <paramref name="name"/> in place (<c>kw["weights_only"] = flag</c>, <c>kw.update(...)</c>).</summary>
    internal static bool ChangedInPlace(ModuleModel module, FunctionInfo function, string name) =>
        module.Functions.Values.Any(f => function.Node.Span.Start <= f.Node.Span.Start && f.Node.Span.End <= function.Node.Span.End
            && f.Footprint.MutatedNames.Contains(name));

    /// <summary>A name only the function itself binds: no <c>global</c>/<c>nonlocal</c> here, no nested function rebinding it.</summary>
    private static bool IsLocal(Scope scope, string name) =>
        !scope.IsGlobal(name) && !scope.IsNonlocal(name) && scope.BindingsOf(name) is { Count: > 0 } bindings && bindings.All(b => b.ExecutingScope == scope);
}
