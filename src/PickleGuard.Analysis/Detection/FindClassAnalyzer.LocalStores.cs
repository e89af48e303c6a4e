using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// What the function that makes an unpickler sets as its <c>find_class</c> (ZEO's <c>marshal.py</c>: <c>unpickler =
/// Unpickler(BytesIO(msg))</c>, then <c>unpickler.find_class = server_find_global</c>, then <c>unpickler.load()</c>).
/// </summary>
/// <param name="AllRestrictive">Every value stored is restrictive (the rule for stores in the class's methods).</param>
/// <param name="Functions">The functions stored, for the message.</param>
/// <param name="Escape">How a project function stored lets any global through (<see cref="FindClassAnalyzer.Escape"/>'s words), or null.</param>
internal sealed record LocalFindClass(bool AllRestrictive, IReadOnlyList<string> Functions, string? Escape);

internal sealed partial class FindClassAnalyzer
{
    /// <summary>
    /// The <c>name.find_class = value</c> stores in the function of <paramref name="construction"/> on the name bound to
    /// that construction, made before <paramref name="sink"/> and not under a branch or loop (a <c>try</c> or
    /// <c>with</c> body counts: ZEO's store sits in <c>try: ... except AttributeError: pass</c>); null when there is none.
    /// Only a project subclass's instance is asked: the C <c>pickle.Unpickler</c> refuses the assignment.
    /// </summary>
    public LocalFindClass? FindClassSetOn(CallExpr construction, EvalContext constructionContext, CallExpr sink)
    {
        var scope = constructionContext.Scope;
        var stores = new List<Binding>();
        foreach (var store in _resolver.Project.AttributeStoresOf("find_class"))
        {
            if (store.Scope == scope && store.Offset < sink.Span.Start && store.Value is not null
                && store.Node is AttributeExpr { Value: NameExpr receiver } && BoundTo(scope, receiver.Id, construction)
                && IsUnconditional(BodyOf(scope.Node), store.Node, 0))
            {
                stores.Add(store);
            }
        }
        if (stores.Count == 0)
        {
            return null;
        }
        var judge = new ValueJudge(this, null, null, constructionContext);
        var allRestrictive = stores.All(store => judge.Restrictive(store.Value!, EvalContext.Of(store), 0));
        var escape = allRestrictive ? null : stores.Select(EscapeOfStored).FirstOrDefault(text => text is not null);
        return new LocalFindClass(allRestrictive, judge.Functions, escape);
    }

    /// <summary>The escape of the project function a store assigns, when it names one that is not restrictive.</summary>
    private string? EscapeOfStored(Binding store)
    {
        if (_resolver.Resolve(store.Value!, EvalContext.Of(store)) is not [FunctionValue { Function: { Node: FunctionDefStmt definition } function, BoundTo: null }]
            || IsRestricted(function.Scope.Module, definition, skipped: 0))
        {
            return null;
        }
        var line = store.Scope.Module.Source.GetLinePosition(store.Offset).Line;
        return EscapeText(function.Scope.Module, definition, $"the instance's `find_class`, set to `{function.Name}` (line {line}),", skipped: 0);
    }

    private static bool BoundTo(Scope scope, string name, CallExpr construction)
    {
        foreach (var binding in scope.BindingsOf(name))
        {
            if (ReferenceEquals(binding.Value, construction))
            {
                return true;
            }
        }
        return false;
    }

    private static IReadOnlyList<Stmt> BodyOf(Node node) => node switch
    {
        FunctionDefStmt function => function.Body,
        AsyncFunctionDefStmt function => function.Body,
        ModuleNode module => module.Body,
        _ => [],
    };

    /// <summary>Whether <paramref name="target"/> is assigned by a statement of <paramref name="body"/>, or of a <c>try</c> or <c>with</c> body in it.</summary>
    private static bool IsUnconditional(IReadOnlyList<Stmt> body, Node target, int depth)
    {
        if (depth > 8)
        {
            return false;
        }
        foreach (var statement in body)
        {
            var found = statement switch
            {
                AssignStmt assignment => assignment.Targets.Any(t => ReferenceEquals(t, target)),
                TryStmt guarded => IsUnconditional(guarded.Body, target, depth + 1),
                WithStmt with => IsUnconditional(with.Body, target, depth + 1),
                AsyncWithStmt with => IsUnconditional(with.Body, target, depth + 1),
                _ => false,
            };
            if (found)
            {
                return true;
            }
        }
        return false;
    }
}
