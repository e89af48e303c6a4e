using PickleGuard.Analysis.Resolution;
using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>
/// Decides whether an Unpickler subclass restricts globals (docs/analysis.md, "Restricted unpicklers").
/// The nearest <c>find_class</c> in the class or its project bases is restricted when every <c>return</c> whose value
/// depends on the requested module/name is guarded by an allow-list test on them: inside
/// <c>if &lt;allow&gt;:</c> (<c>==</c>/<c>in</c>), or after <c>if &lt;not allowed&gt;: raise</c> (<c>!=</c>/<c>not in</c>).
/// A deny-list (<c>if module in BAD: raise</c>) or a fall-through delegation is not a restriction.
/// </summary>
internal sealed partial class FindClassAnalyzer
{
    private readonly ValueResolver _resolver;
    private readonly Dictionary<ClassInfo, ClassInfo?> _cache = [];

    public FindClassAnalyzer(ValueResolver resolver) => _resolver = resolver;

    /// <summary>The class whose restricted <c>find_class</c> governs <paramref name="cls"/>, or null when unrestricted.</summary>
    public ClassInfo? RestrictingClass(ClassInfo cls)
    {
        if (_cache.TryGetValue(cls, out var cached))
        {
            return cached;
        }
        _cache[cls] = null;
        var (definer, function) = FindMethod(cls, "find_class", 0);
        var result = definer is not null && function is not null && IsRestricted(definer.BodyScope.Module, function) ? definer : null;
        _cache[cls] = result;
        return result;
    }

    private (ClassInfo? Definer, FunctionDefStmt? Function) FindMethod(ClassInfo cls, string name, int level)
    {
        if (level > 16)
        {
            return (null, null);
        }
        var own = cls.Node.Body.OfType<FunctionDefStmt>().LastOrDefault(f => f.Name == name);
        if (own is not null)
        {
            return (cls, own);
        }
        foreach (var baseValue in _resolver.Bases(cls))
        {
            if (baseValue is ClassValue baseClass && FindMethod(baseClass.Class, name, level + 1) is { Function: not null } found)
            {
                return found;
            }
        }
        return (null, null);
    }

    /// <summary>
    /// How the <c>find_class</c> that governs <paramref name="cls"/> (its own or a project base's) lets through a global no
    /// exact allow-list test chose, for a message: its first <c>return</c> of a value that depends on the requested module
    /// or name with no such test before it. Null when the class has no such method, or every such return is guarded.
    /// </summary>
    public string? Escape(ClassInfo cls)
    {
        var (definer, function) = FindMethod(cls, "find_class", 0);
        if (definer is null || function is null)
        {
            return null;
        }
        return EscapeText(definer.BodyScope.Module, function, $"`{definer.Name}.find_class`", skipped: 1);
    }

    /// <summary>
    /// How <paramref name="function"/> (standing for <c>find_class</c>, named <paramref name="owner"/> in the text) lets
    /// through a global no allow-list test chose: its first unguarded <c>return</c> of a requested value; null when none.
    /// </summary>
    private string? EscapeText(ModuleModel module, FunctionDefStmt function, string owner, int skipped)
    {
        var walker = WalkRequested(module, function, skipped);
        if (walker.UnguardedReturn is not { Value: { } returned })
        {
            return null;
        }
        if (walker.AdmitsCodeRunningModule is var (test, admitted))
        {
            var at = module.Source.GetLinePosition(test.Span.Start).Line;
            return $"{owner} tests `{ProvenanceEvaluator.Text(test, EvalContext.EndOf(module.ModuleScope))}` (line {at}), which admits every global of `{admitted}` by the module's name alone";
        }
        // `res = self.extra_handler(module, name)` ... `return res`: the escape is the call that gave the name its value.
        var shown = returned is NameExpr name && module.Functions.TryGetValue(function, out var info)
            && info.Scope.BindingsOf(name.Id) is [{ Kind: BindingKind.Assignment, Augments: false, Value: CallExpr assigned }] ? assigned : returned;
        var text = ProvenanceEvaluator.Text(shown, EvalContext.EndOf(module.ModuleScope));
        var line = $"line {module.Source.GetLinePosition(shown.Span.Start).Line}";
        return shown switch
        {
            CallExpr { Func: AttributeExpr { Attr: "find_class" } } =>
                $"{owner} returns `{text}` ({line}) with no allow-list test before it that admits only harmless globals, so globals that run code resolve",
            CallExpr => $"{owner} returns what `{text}` ({line}) returns, which may be any global",
            _ => $"{owner} returns `{text}` ({line}) with no allow-list test before it that admits only harmless globals",
        };
    }

    /// <param name="skipped">The leading parameters that are not the requested module and name (<c>self</c> of a method).</param>
    private bool IsRestricted(ModuleModel module, FunctionDefStmt function, int skipped = 1) =>
        !WalkRequested(module, function, skipped).FoundUnguardedReturn;

    /// <summary>The walk of <paramref name="function"/>'s body, its parameters past <paramref name="skipped"/> holding the requested module and name.</summary>
    private GuardWalker WalkRequested(ModuleModel module, FunctionDefStmt function, int skipped)
    {
        var parameters = function.Args.Posonlyargs.Concat(function.Args.Args).Skip(skipped)
            .Concat(new[] { function.Args.Vararg, function.Args.Kwarg }.OfType<Arg>())
            .Concat(function.Args.Kwonlyargs)
            .Select(a => a.ArgValue);
        var dependent = new HashSet<string>(parameters, StringComparer.Ordinal);
        var walker = WalkerFor(module, function, dependent, everyExit: false, call => RaisesUnlessAllowed(module, call, dependent));
        walker.Walk(function.Body, guarded: false);
        return walker;
    }

    /// <summary>
    /// <c>check(module, name)</c> in <c>find_class</c>: a call of one project function that returns only when an allow
    /// test on the requested values it is given holds, and raises otherwise (every return and the end of its body behind
    /// such a test).
    /// </summary>
    private bool RaisesUnlessAllowed(ModuleModel module, CallExpr call, HashSet<string> requested)
    {
        if (module.CallSiteOf(call) is not { } site || _resolver.Resolve(call.Func, EvalContext.At(site)) is not [FunctionValue { Function: { Node: FunctionDefStmt checker } checking, BoundTo: null }]
            || call.Keywords.Count > 0 || call.Args.Any(a => a is StarredExpr))
        {
            return false;
        }
        var parameters = checker.Args.Posonlyargs.Concat(checker.Args.Args).ToArray();
        var dependent = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < call.Args.Count && i < parameters.Length; i++)
        {
            if (NameCollector.Of(call.Args[i]).Overlaps(requested))
            {
                dependent.Add(parameters[i].ArgValue);
            }
        }
        if (dependent.Count == 0)
        {
            return false;
        }
        var walker = WalkerFor(checking.Scope.Module, checker, dependent, everyExit: true, checks: null);
        return walker.Walk(checker.Body, guarded: false) && !walker.FoundUnguardedReturn;
    }

    /// <summary>
    /// A walker of <paramref name="function"/>'s body, whose parameters <paramref name="dependent"/> hold the requested
    /// values (completed here with the names assigned from them).
    /// </summary>
    private static GuardWalker WalkerFor(ModuleModel module, FunctionDefStmt function, HashSet<string> dependent, bool everyExit, Func<CallExpr, bool>? checks)
    {
        var body = function.Body;
        PropagateThroughAssignments(body, dependent);
        var scope = module.Functions.TryGetValue(function, out var info) ? info.Scope : null;
        return new GuardWalker(dependent, LocalStringCollections(body), LookupBoundNames(body, dependent))
        {
            EveryExit = everyExit,
            Checks = checks,
            OuterStrings = scope is null ? null : name => ModuleStringCollection(module, scope, name),
        };
    }

    /// <summary>
    /// The strings of the collection <paramref name="name"/> is bound to once at the top of <paramref name="module"/>,
    /// when the function's <paramref name="scope"/> does not bind it; null otherwise. A module-level allow-list is
    /// checked as a local one is: one that admits <c>builtins</c> by its name alone admits <c>builtins.eval</c>.
    /// </summary>
    private static string[]? ModuleStringCollection(ModuleModel module, Scope scope, string name) =>
        !scope.Binds(name) && module.ModuleScope.BindingsOf(name) is [{ Kind: BindingKind.Assignment, Augments: false, Value: { } value }]
            ? GuardWalker.CollectionStrings(value)
            : null;

    /// <summary>
    /// Local names every assignment of which looks the requested module or name up in a table of the program
    /// (<c>names = ALLOWED.get(module)</c>): what they hold comes from that table, not from the pickle.
    /// </summary>
    private static HashSet<string> LookupBoundNames(IReadOnlyList<Stmt> body, HashSet<string> dependent)
    {
        var assignments = new List<AssignStmt>();
        CollectAssignments(body, assignments, 0);
        var lookups = new HashSet<string>(StringComparer.Ordinal);
        var others = new HashSet<string>(StringComparer.Ordinal);
        foreach (var assignment in assignments)
        {
            foreach (var target in assignment.Targets)
            {
                if (target is NameExpr name && GuardWalker.IsTableLookup(assignment.Value, dependent))
                {
                    lookups.Add(name.Id);
                }
                else
                {
                    others.UnionWith(NameCollector.Of(target));
                }
            }
        }
        lookups.ExceptWith(others);
        return lookups;
    }

    /// <summary>Local names bound to a literal tuple, list or set of strings (<c>safe_modules = ("torch", "math")</c>).</summary>
    private static Dictionary<string, string[]> LocalStringCollections(IReadOnlyList<Stmt> body)
    {
        var assignments = new List<AssignStmt>();
        CollectAssignments(body, assignments, 0);
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var assignment in assignments)
        {
            if (assignment.Targets is [NameExpr target] && GuardWalker.CollectionStrings(assignment.Value) is { } strings)
            {
                result[target.Id] = strings;
            }
        }
        return result;
    }

    /// <summary>Names assigned from values that depend on the requested module/name depend on it too.</summary>
    private static void PropagateThroughAssignments(IReadOnlyList<Stmt> body, HashSet<string> dependent)
    {
        var assignments = new List<AssignStmt>();
        CollectAssignments(body, assignments, 0);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var assignment in assignments)
            {
                if (!NameCollector.Of(assignment.Value).Overlaps(dependent))
                {
                    continue;
                }
                foreach (var target in assignment.Targets)
                {
                    foreach (var name in NameCollector.Of(target))
                    {
                        changed |= dependent.Add(name);
                    }
                }
            }
        }
    }

    private static void CollectAssignments(IReadOnlyList<Stmt> body, List<AssignStmt> into, int depth)
    {
        if (depth > 32)
        {
            return;
        }
        foreach (var statement in body)
        {
            foreach (var block in GuardWalker.ChildBlocks(statement))
            {
                CollectAssignments(block, into, depth + 1);
            }
            if (statement is AssignStmt assignment)
            {
                into.Add(assignment);
            }
        }
    }
}
