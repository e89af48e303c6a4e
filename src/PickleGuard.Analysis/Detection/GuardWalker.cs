using PickleGuard.Python;

namespace PickleGuard.Analysis.Detection;

/// <summary>Walks a <c>find_class</c> body tracking whether an allow-list test guards the current point.</summary>
internal sealed class GuardWalker
{
    private const int MaxDepth = 32;

    /// <summary>
    /// Modules with a global that runs code, imports a module or opens a file when a pickle calls it (<c>builtins.eval</c>,
    /// <c>os.system</c>, <c>types.FunctionType</c>, <c>pydoc.locate</c>, <c>torch.load</c>, ...; the artifact scanner's
    /// deny list names them one by one): a test that lets one of them through by its module name alone allows those too.
    /// </summary>
    private static readonly HashSet<string> CodeRunningModules = new(StringComparer.Ordinal)
    {
        "builtins", "__builtin__", "os", "posix", "nt", "subprocess", "sys", "importlib", "runpy", "code", "pty", "shutil",
        "socket", "ctypes", "pickle", "_pickle", "cPickle", "marshal", "types", "operator", "functools", "pydoc", "pkgutil",
        "webbrowser", "platform", "timeit", "pdb", "codecs", "io", "torch", "numpy", "dill", "joblib", "yaml",
    };

    private readonly HashSet<string> _dependent;
    private readonly IReadOnlyDictionary<string, string[]> _localStrings;
    private readonly IReadOnlySet<string> _lookupBound;

    /// <param name="dependent">Names holding the requested module or name.</param>
    /// <param name="localStrings">Names the method binds to a literal collection of strings (<c>safe = ("torch", "math")</c>).</param>
    /// <param name="lookupBound">Names bound only to a program table's entry for the requested values (<c>names = ALLOWED.get(module)</c>).</param>
    public GuardWalker(HashSet<string> dependent, IReadOnlyDictionary<string, string[]> localStrings, IReadOnlySet<string> lookupBound) =>
        (_dependent, _localStrings, _lookupBound) = (dependent, localStrings, lookupBound);

    public bool FoundUnguardedReturn { get; private set; }

    /// <summary>The first <c>return</c> no allow test guards (null when none, or when the walk gave up at its depth limit).</summary>
    public ReturnStmt? UnguardedReturn { get; private set; }

    /// <summary>
    /// The first allow test met that admits a module with code-running globals by its name alone, with that module
    /// (<c>module not in _SAFE_MODULE_NAMES</c>, <c>builtins</c>), for a message; null when none.
    /// </summary>
    public (CompareExpr Test, string Module)? AdmitsCodeRunningModule { get; private set; }

    /// <summary>Every return counts, whatever it returns (a check function's normal exits), not only those giving the requested global.</summary>
    public bool EveryExit { get; init; }

    /// <summary>Whether a call statement is a check that raises unless an allow test holds (<c>check(module, name)</c>); null: none is.</summary>
    public Func<CallExpr, bool>? Checks { get; init; }

    /// <summary>
    /// The strings a name the function does not bind spells, when its module binds it once to a literal collection
    /// (ZEO's <c>_SAFE_MODULE_NAMES = (..., "builtins", ...)</c>); null: not known.
    /// </summary>
    public Func<string, string[]?>? OuterStrings { get; init; }

    /// <summary>Walks <paramref name="statements"/>; returns whether an allow test guards their end.</summary>
    public bool Walk(IReadOnlyList<Stmt> statements, bool guarded, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            FoundUnguardedReturn = true;
            return false;
        }
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case ReturnStmt { Value: var value } returned when !guarded && (EveryExit || value is not null && Depends(value) && !IsTableLookup(value)):
                    FoundUnguardedReturn = true;
                    UnguardedReturn ??= returned;
                    return false;
                case ExprStmt { Value: CallExpr call } when !guarded && Checks is { } checks && Depends(call) && checks(call):
                    guarded = true;
                    break;
                case IfStmt conditional:
                    var allows = IsAllowTest(conditional.Test, negated: false);
                    var rejects = IsAllowTest(conditional.Test, negated: true);
                    Walk(conditional.Body, guarded || allows, depth + 1);
                    Walk(conditional.Orelse, guarded || rejects, depth + 1);
                    if ((rejects && Exits(conditional.Body)) || (allows && Exits(conditional.Orelse)))
                    {
                        guarded = true;
                    }
                    break;
                case FunctionDefStmt or AsyncFunctionDefStmt or ClassDefStmt:
                    break;
                default:
                    foreach (var block in ChildBlocks(statement))
                    {
                        Walk(block, guarded, depth + 1);
                    }
                    break;
            }
        }
        return guarded;
    }

    /// <summary>The statement lists nested in a compound statement (not function or class bodies).</summary>
    public static IEnumerable<IReadOnlyList<Stmt>> ChildBlocks(Stmt statement) => statement switch
    {
        IfStmt s => [s.Body, s.Orelse],
        ForStmt s => [s.Body, s.Orelse],
        AsyncForStmt s => [s.Body, s.Orelse],
        WhileStmt s => [s.Body, s.Orelse],
        WithStmt s => [s.Body],
        AsyncWithStmt s => [s.Body],
        TryStmt s => new[] { s.Body, s.Orelse, s.Finalbody }.Concat(s.Handlers.Select(h => h.Body)),
        TryStarStmt s => new[] { s.Body, s.Orelse, s.Finalbody }.Concat(s.Handlers.Select(h => h.Body)),
        MatchStmt s => s.Cases.Select(c => c.Body),
        _ => [],
    };

    private bool Depends(Expr expr) => NameCollector.Of(expr).Overlaps(_dependent);

    /// <summary>
    /// <c>ALLOWED[(module, name)]</c>, <c>SAFE[module][name]</c>, <c>SAFE.get((module, name))</c>: a lookup in a
    /// program table, which fails (or yields None) for anything not in it.
    /// </summary>
    private bool IsTableLookup(Expr expr) => IsTableLookup(expr, _dependent);

    internal static bool IsTableLookup(Expr expr, ISet<string> dependent)
    {
        switch (expr)
        {
            case SubscriptExpr subscript:
                var table = subscript.Value;
                while (table is SubscriptExpr inner)
                {
                    table = inner.Value;
                }
                return !NameCollector.Of(table).Overlaps(dependent);
            case CallExpr { Func: AttributeExpr { Attr: "get", Value: var getTable } }:
                return !NameCollector.Of(getTable).Overlaps(dependent);
            default:
                return false;
        }
    }

    /// <summary>
    /// A side of an allow test that holds the requested module or name itself: not a program table's entry for it
    /// (<c>name not in ALLOWED.get(module, ())</c>, <c>name not in names</c> with <c>names = ALLOWED.get(module)</c>).
    /// </summary>
    private bool HoldsRequested(Expr expr) =>
        Depends(expr) && !IsTableLookup(expr) && !(expr is NameExpr name && _lookupBound.Contains(name.Id));

    private bool Exits(IReadOnlyList<Stmt> block) =>
        block.Count > 0 && block[^1] switch
        {
            RaiseStmt => true,
            ReturnStmt r => r.Value is null || !Depends(r.Value) || IsTableLookup(r.Value),
            _ => false,
        };

    /// <summary>
    /// A membership/equality test on the requested module/name: with <paramref name="negated"/> false it is true
    /// only for allowed names (<c>==</c>, <c>in</c>); with it true it is true only for names not allowed
    /// (<c>!=</c>, <c>not in</c>, <c>not (...)</c>).
    /// </summary>
    private bool IsAllowTest(Expr test, bool negated)
    {
        switch (test)
        {
            case UnaryOpExpr { Op: UnaryOperator.Not } not:
                return IsAllowTest(not.Operand, !negated);
            case BoolOpExpr boolean:
                // "allowed" narrows under `and` (one allow test suffices) and needs every disjunct under `or`;
                // the negated forms are the De Morgan duals.
                var conjunction = boolean.Op == BoolOperator.And;
                return conjunction != negated
                    ? boolean.Values.Any(v => IsAllowTest(v, negated))
                    : boolean.Values.All(v => IsAllowTest(v, negated));
            case CompareExpr compare when compare.Ops.Count == 1:
                var op = compare.Ops[0];
                var polarityMatches = negated
                    ? op is CompareOperator.NotIn or CompareOperator.NotEq
                    : op is CompareOperator.In or CompareOperator.Eq;
                return polarityMatches && HoldsRequested(compare.Left) != HoldsRequested(compare.Comparators[0]) && !LetsThroughCodeRunningModule(compare);
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>module in ("torch", "builtins")</c>, <c>module == "os"</c>: one requested value compared with module names alone,
    /// one of which has globals that run code (ultralytics' <c>SafeUnpickler</c> let <c>builtins.eval</c> through).
    /// </summary>
    private bool LetsThroughCodeRunningModule(CompareExpr compare)
    {
        var (requested, allowed) = HoldsRequested(compare.Left) ? (compare.Left, compare.Comparators[0]) : (compare.Comparators[0], compare.Left);
        if (requested is not NameExpr || StringsOf(allowed).FirstOrDefault(CodeRunningModules.Contains) is not { } admitted)
        {
            return false;
        }
        AdmitsCodeRunningModule ??= (compare, admitted);
        return true;
    }

    /// <summary>The strings a literal (a string, or a flat tuple, list or set of them) or a name bound to one spells (in the function or its module).</summary>
    private IEnumerable<string> StringsOf(Expr expr) => expr switch
    {
        ConstantExpr { Value.AsString: { } text } => [text],
        NameExpr name when _localStrings.TryGetValue(name.Id, out var strings) => strings,
        NameExpr name when OuterStrings?.Invoke(name.Id) is { } strings => strings,
        _ => CollectionStrings(expr) ?? [],
    };

    /// <summary>The strings among the elements of a tuple, list or set display; null for another expression.</summary>
    internal static string[]? CollectionStrings(Expr expr) =>
        Semantic.Displays.ItemsOf(expr) is { } elements
            ? [.. elements.Select(e => e is ConstantExpr { Value.AsString: { } text } ? text : null).OfType<string>()]
            : null;
}
