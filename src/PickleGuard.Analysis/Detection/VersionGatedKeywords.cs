using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// The value a call's <c>**name</c> gives a keyword wherever the library has it, when the dict leaves it out only where a
/// version test (<see cref="VersionGates"/>) says the installed release is older than the one that added the keyword
/// (<see cref="ArgumentCondition.AddedIn"/>). Two shapes, either side of the test first:
/// <list type="bullet">
/// <item>one binding, a conditional expression: <c>kw = {"weights_only": True} if is_torch_version("&gt;=", "1.13") else {}</c>
/// (diffusers' <c>load_state_dict</c>);</item>
/// <item>two bindings, one directly in the newer branch of such an <c>if</c> and the other directly in its other branch or
/// before it: <c>kw = {}</c> then <c>if is_torch_version("&gt;=", "1.13"): kw = {"weights_only": True}</c>. The <c>if</c>
/// runs before the call on every path to it (its block is around the call).</item>
/// </list>
/// What the older side holds does not matter: no call can give the keyword on such a release (given, it raises
/// TypeError). The name is bound only by plain assignments and never changed in place in its function (its module, at module level), and the newer side is
/// a dict display of constant keys that gives the keyword. Any other test (a flag, a parameter) leaves the dict unknown.
/// </summary>
internal static class VersionGatedKeywords
{
    /// <summary>Statements nested deeper than this are not searched for the <c>if</c> that binds the name.</summary>
    private const int MaxDepth = 32;

    /// <summary>The value the newer side gives <paramref name="keyword"/>; null when no version test decides the dict as above.</summary>
    public static Expr? Find(ValueResolver resolver, NameExpr splatted, string keyword, PackageRelease addedIn, EvalContext context)
    {
        var changed = context.Module.Functions.TryGetValue(context.Scope.Node, out var function)
            ? CorrelatedChoices.ChangedInPlace(context.Module, function, splatted.Id)
            : context.Module.MutatedNames.Contains(splatted.Id);
        if (changed)
        {
            return null;
        }
        var bindings = resolver.ReachingBindings(splatted.Id, context);
        if (!bindings.All(b => b is { Kind: BindingKind.Assignment, Augments: false, Element: < 0, Node: NameExpr, Value: not null }))
        {
            return null;
        }
        var newer = bindings switch
        {
            [{ Value: IfExpr choice } only] => VersionGates.OlderSide(choice.Test, addedIn, resolver, EvalContext.Of(only)) is { } olderSide
                ? (olderSide ? choice.Orelse : choice.Body, only)
                : ((Expr, Binding)?)null,
            [var first, var second] => FromGatedIf(resolver, first, second, addedIn, context) ?? FromGatedIf(resolver, second, first, addedIn, context),
            _ => null,
        };
        return newer is var (value, binding) && resolver.DictDisplayOf(value, EvalContext.Of(binding)) is { } display
            && KnownKeys.TryValueOf(display, keyword, out var given)
            ? given
            : null;
    }

    /// <summary><paramref name="gated"/>'s value when it is bound directly in the newer branch of a version test's <c>if</c>, and <paramref name="other"/> in the older branch or before the <c>if</c>.</summary>
    private static (Expr, Binding)? FromGatedIf(ValueResolver resolver, Binding gated, Binding other, PackageRelease addedIn, EvalContext context)
    {
        var body = context.Scope.Node switch
        {
            FunctionDefStmt function => function.Body,
            AsyncFunctionDefStmt function => function.Body,
            ModuleNode module => module.Body,
            _ => null,
        };
        if (body is null || IfHolding(body, gated.Node, 0) is not var (branching, inBody) || context.Offset < branching.Span.End
            || gated.Blocks.Parent is not { } around || !context.Blocks.Contains(around.Id)
            || VersionGates.OlderSide(branching.Test, addedIn, resolver, EvalContext.Of(gated)) is not { } olderSide || olderSide == inBody)
        {
            return null;
        }
        var newerBranch = inBody ? branching.Body : branching.Orelse;
        var olderBranch = inBody ? branching.Orelse : branching.Body;
        // Whenever the newer side is taken, the binding runs: nothing before it in the branch leaves a loop early.
        if (newerBranch.TakeWhile(s => !Holds(s, gated.Node)).Any(s => s is BreakStmt or ContinueStmt)
            || !(other.Offset < branching.Span.Start || olderBranch.Any(s => Holds(s, other.Node) && s is AssignStmt or AnnAssignStmt)))
        {
            return null;
        }
        return (gated.Value!, gated);
    }

    /// <summary>The <c>if</c> one of whose branches holds <paramref name="node"/> in an assignment statement of its own, and whether that branch is the body.</summary>
    private static (IfStmt, bool InBody)? IfHolding(IReadOnlyList<Stmt> block, Node node, int depth)
    {
        if (depth > MaxDepth || block.FirstOrDefault(s => Holds(s, node)) is not { } statement)
        {
            return null;
        }
        if (statement is IfStmt branching)
        {
            if (branching.Body.Any(s => s is AssignStmt or AnnAssignStmt && Holds(s, node)))
            {
                return (branching, true);
            }
            if (branching.Orelse.Any(s => s is AssignStmt or AnnAssignStmt && Holds(s, node)))
            {
                return (branching, false);
            }
        }
        return GuardWalker.ChildBlocks(statement).Select(child => IfHolding(child, node, depth + 1)).FirstOrDefault(found => found is not null);
    }

    private static bool Holds(Stmt statement, Node node) => statement.Span.Start <= node.Span.Start && node.Span.End <= statement.Span.End;
}
