using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Resolves expressions to what they may denote — external API paths, project modules, functions, classes,
/// instances — through scopes, imports (absolute, relative, aliased, conditional, dynamic with constants),
/// assignments, attributes and returns, across the whole project. An empty result means "unknown".
/// Not thread-safe (it caches); use one resolver per thread.
/// </summary>
public sealed partial class ValueResolver
{
    private const int MaxDepth = 100;
    private const int MaxValues = ValueSet.MaxValues;

    /// <summary>
    /// Work (nested resolutions) one outside query may cost. Results found while a binding is in progress are not
    /// cached (the cycle guard may have cut them), so a query that enters a chain of call results and class members
    /// through a cycle recomputes sub-results at every level: up to <see cref="MaxValues"/>^depth. Django's ORM
    /// (`django/db`) ran away this way in one resolution order and not in another. Past the budget the query's
    /// answer is "unknown" (empty) and nothing computed during it is cached.
    /// </summary>
    public const int MaxWorkPerQuery = 20_000;

    /// <summary>The most classes <see cref="ClassAndBases"/> returns: a chain this long may have been cut short.</summary>
    public const int MaxClassChain = 32;

    private readonly ProjectModel _project;
    private readonly ISet<string> _modelNamespaces;
    private readonly Dictionary<Binding, IReadOnlyList<SymbolicValue>> _bindingCache = [];
    private readonly Dictionary<ClassInfo, IReadOnlyList<SymbolicValue>> _baseCache = [];
    private readonly Dictionary<string, IReadOnlyList<SymbolicValue>> _qualifiedCache = new(StringComparer.Ordinal);
    private readonly Dictionary<(ModuleModel, string), IReadOnlyList<SymbolicValue>> _moduleMemberCache = [];
    private readonly Dictionary<(ClassInfo, string, bool), IReadOnlyList<SymbolicValue>> _classMemberCache = [];
    private readonly Dictionary<(FunctionInfo, string), List<string>> _passedLiterals = [];
    private readonly Dictionary<(FunctionInfo, int), ImportingReturns?> _importingReturns = [];
    private readonly Dictionary<(FunctionInfo, int), (string, string, CallExpr)?> _parameterMethodReturns = [];

    /// <summary>The functions each registering decorator decorates (<see cref="RegisteredFunctions"/>).</summary>
    private readonly Dictionary<FunctionInfo, IReadOnlyList<SymbolicValue>> _registered = [];

    private readonly Dictionary<(ClassInfo, string, CallExpr), IReadOnlyList<SymbolicValue>> _instanceMemberCache = [];
    private readonly Dictionary<(ApiValue Value, string Attribute), IReadOnlyList<SymbolicValue>> _apiMemberCache = [];
    private readonly Dictionary<string, IReadOnlyList<SymbolicValue>> _builtinCache = new(StringComparer.Ordinal);
    private readonly Dictionary<(ModuleModel, string), IReadOnlyList<SymbolicValue>> _starImportedCache = [];
    private readonly HashSet<Binding> _inProgress = [];

    /// <summary>Functions whose returns are being resolved: a recursive return (<c>return self.execute(q)</c> in a retry) adds nothing.</summary>
    private readonly HashSet<FunctionInfo> _returnsInProgress = [];
    /// <summary>The library functions the project replaces at import; found on the first outside query.</summary>
    private LibraryRebindings? _rebindings;

    private int _depth;
    private int _work;
    private bool _spent;

    /// <summary>
    /// How many results so far may be short — a query that ran out of its budget, a base list resolved under one — so
    /// that a result built on them is not cached (it would be short for every later query too).
    /// </summary>
    private int _resultsCutShort;

    /// <summary>The module of the current outside query (where a cut is reported), null when a query names none.</summary>
    private ModuleModel? _queryModule;

    /// <param name="modelNamespaces">Top-level names of modelled libraries (<c>pickle</c>, <c>yaml</c>, …): a project
    /// module with such a name is treated as possibly being that library too (vendored copies, stdlib scans).</param>
    /// <param name="receiverContexts">Library methods whose result entered by a <c>with</c> is their receiver (<see cref="ReceiverContexts"/>).</param>
    public ValueResolver(ProjectModel project, ISet<string> modelNamespaces, IReadOnlySet<string>? receiverContexts = null)
    {
        _project = project;
        _modelNamespaces = modelNamespaces;
        _receiverContexts = receiverContexts ?? EmptyNames;
    }

    private static readonly HashSet<string> EmptyNames = new(StringComparer.Ordinal);

    private readonly IReadOnlySet<string> _receiverContexts;

    public ProjectModel Project => _project;

    public IReadOnlyList<SymbolicValue> Resolve(Expr expr, EvalContext context)
    {
        StartQueryIfOutside(context.Scope.Module);
        if (_depth > MaxDepth || OverWorkBudget())
        {
            return [];
        }
        _depth++;
        try
        {
            return expr switch
            {
                NameExpr name => ResolveName(name.Id, context),
                AttributeExpr attribute => ResolveAttribute(attribute, context),
                CallExpr call => ResolveCall(call, context),
                ConstantExpr constant => [new ConstantSymbol(constant)],
                IfExpr conditional => Union(Resolve(conditional.Body, context), Resolve(conditional.Orelse, context)),
                BoolOpExpr boolean => ResolveAny(boolean.Values, context),
                NamedExpr named => Resolve(named.Value, context),
                AwaitExpr awaited => Resolve(awaited.Value, context), // a coroutine call stands for what it returns
                SubscriptExpr subscript => ResolveSubscript(subscript, context),
                _ => [],
            };
        }
        finally
        {
            _depth--;
        }
    }

    private IReadOnlyList<SymbolicValue> ResolveAttribute(AttributeExpr attribute, EvalContext context)
    {
        var values = Resolve(attribute.Value, context);
        // One value (the common case): its members are already distinct and capped.
        var members = values.Count == 1 ? Member(values[0], attribute.Attr) : MemberOfAny(values, attribute.Attr);
        // `torch.load` where a scanned module has replaced it (`torch.load = load`): applied here, where the context is
        // known, not to the member (cached for every context).
        return _rebindings!.IsEmpty ? members : _rebindings.Apply(values, attribute.Attr, members, context);
    }

    // Loops, not LINQ, here and below: these run for most expressions resolved, and a SelectMany with a lambda costs a
    // closure, a delegate and enumerators per call. Each stops once the values are full, as Cap over a lazy sequence
    // did: what is not needed is not resolved (nor counted against the query's budget).
    private IReadOnlyList<SymbolicValue> ResolveAny(IReadOnlyList<Expr> exprs, EvalContext context)
    {
        var values = new ValueSet();
        for (var i = 0; i < exprs.Count && !values.Full; i++)
        {
            values.Add(Resolve(exprs[i], context));
        }
        return values.Result;
    }

    private IReadOnlyList<SymbolicValue> MemberOfAny(IReadOnlyList<SymbolicValue> owners, string attribute)
    {
        var values = new ValueSet();
        for (var i = 0; i < owners.Count && !values.Full; i++)
        {
            values.Add(Member(owners[i], attribute));
        }
        return values.Result;
    }

    /// <summary>The values of the first bindings, until the values are full.</summary>
    private IReadOnlyList<SymbolicValue> ResolveBindings(IReadOnlyList<Binding> bindings)
    {
        var values = new ValueSet();
        for (var i = 0; i < bindings.Count && !values.Full; i++)
        {
            values.Add(ResolveBinding(bindings[i]));
        }
        return values.Result;
    }

    /// <summary>Whether every callee <paramref name="method"/> resolves to is one of <see cref="ReceiverContexts"/>.</summary>
    public bool EntersReceiver(AttributeExpr method, EvalContext context) =>
        _receiverContexts.Count > 0 && Resolve(method, context) is { Count: > 0 } callees
        && callees.All(callee => callee is ApiValue { Path: var path } && _receiverContexts.Contains(path));

    /// <summary>The values a binding gives its name (cached; a binding that depends on itself contributes nothing).</summary>
    public IReadOnlyList<SymbolicValue> ResolveBinding(Binding binding)
    {
        if (_bindingCache.TryGetValue(binding, out var cached))
        {
            return cached;
        }
        // Checked before the binding is marked: a binding left marked when the depth limit refused it stayed "in
        // progress" for the resolver's whole life, which switched off caching for every later query.
        StartQueryIfOutside(binding.Scope.Module);
        if (_inProgress.Contains(binding) || _depth > MaxDepth || OverWorkBudget())
        {
            return [];
        }
        _inProgress.Add(binding);
        _depth++;
        IReadOnlyList<SymbolicValue> result;
        try
        {
            result = binding.Kind switch
            {
                BindingKind.Import or BindingKind.ImportFrom when binding.ImportedName is { } name => ResolveQualified(name),
                // `with sock.connect(addr) as s`: pyzmq's context manager gives the socket itself.
                BindingKind.WithTarget when binding.Value is CallExpr { Func: AttributeExpr { Value: var receiver } method } && EntersReceiver(method, EvalContext.Of(binding)) =>
                    Resolve(receiver, EvalContext.Of(binding)),
                BindingKind.Assignment or BindingKind.WithTarget when binding.Value is { } value => Resolve(value, EvalContext.Of(binding)),
                BindingKind.ForTarget when binding.Node is NameExpr && binding.Value is { } iterable => ElementValues(iterable, EvalContext.Of(binding), 0),
                BindingKind.Unpacked when binding.Element >= 0 && binding.Value is CallExpr made => ReturnedElements(made, binding.Element, EvalContext.Of(binding)),
                BindingKind.FunctionDef when binding.Function is { } function => [new FunctionValue(function, null)],
                BindingKind.ClassDef when binding.Class is { } cls => [new ClassValue(cls)],
                BindingKind.Parameter when binding.SelfOf is { } owner =>
                    binding.SelfIsClass ? [new ClassValue(owner)] : [new InstanceValue(owner, null)],
                // The default, and whatever a caller passes instead (an API no model knows): a safe default
                // (`loader=yaml.SafeLoader`) proves nothing of the calls that pass another.
                BindingKind.Parameter when binding.DefaultReference is { } reference && binding.Scope.Parent is { } defining =>
                    Union(Resolve(reference, new EvalContext(defining, binding.Offset, binding.Blocks)), [new ApiValue($"<argument for {binding.Name}>")]),
                // A string default names what the parameter holds when a caller leaves it out (Kedro's `backend="pickle"`
                // handed to `importlib.import_module`), a None default that it may be None (kombu's `accept=None`: every
                // content type accepted); what callers pass instead stays unknown.
                BindingKind.Parameter when binding.Default is ConstantExpr { Value.Type: ConstantType.Str or ConstantType.None } literal && binding.Scope.Parent is { } declaring =>
                    Union(binding.Node is Arg { Annotation: { } typed } ? AnnotatedInstances(typed, new EvalContext(declaring, binding.Offset, binding.Blocks)) : [],
                        [new ConstantSymbol(literal), new ApiValue($"<argument for {binding.Name}>")]),
                BindingKind.Parameter when binding.Node is Arg { Annotation: { } annotation } && binding.Scope.Parent is { } declaring =>
                    AnnotatedInstances(annotation, new EvalContext(declaring, binding.Offset, binding.Blocks)),
                _ => [],
            };
        }
        finally
        {
            _depth--;
            _inProgress.Remove(binding);
        }
        if (!_spent)
        {
            _bindingCache[binding] = result;
        }
        return result;
    }

    /// <summary>
    /// What a loop variable may be: the elements of a tuple, list or set display, or of a name bound only to such
    /// displays (<c>ATTACKS = [Deserialization(), ...]</c>, then <c>for attack in ATTACKS: attack.run(self)</c>: DSVPWA),
    /// the project objects a class keeps in a list attribute (<see cref="ListedObjects"/>). Nothing for any other iterable.
    /// </summary>
    private IReadOnlyList<SymbolicValue> ElementValues(Expr iterable, EvalContext context, int depth)
    {
        switch (iterable)
        {
            case TupleExpr or ListExpr or SetExpr:
                var elements = Displays.ItemsOf(iterable)!;
                var values = new ValueSet();
                foreach (var element in elements)
                {
                    if (element is not StarredExpr)
                    {
                        values.Add(Resolve(element, context));
                    }
                }
                return values.Result;
            case NameExpr name when depth < 3 && !context.Module.MutatedNames.Contains(name.Id)
                && ReachingBindings(name.Id, context) is [{ Kind: BindingKind.Assignment, Augments: false, Value: TupleExpr or ListExpr or SetExpr } binding]:
                return ElementValues(binding.Value!, EvalContext.Of(binding), depth + 1);
            case AttributeExpr { Value: NameExpr receiver } held:
                return ListedObjects(held, receiver, context);
            default:
                return [];
        }
    }

    /// <summary>
    /// What an absolute dotted name denotes: a project module or something it binds, else an external API path.
    /// A top-level project module named like a modelled library yields both (see the constructor).
    /// </summary>
    public IReadOnlyList<SymbolicValue> ResolveQualified(string qualifiedName)
    {
        if (_qualifiedCache.TryGetValue(qualifiedName, out var cached))
        {
            return cached;
        }
        StartQueryIfOutside(null);
        if (OverWorkBudget())
        {
            return []; // the query's budget also bounds chains of qualified names (star imports, re-exports)
        }
        var result = ResolveQualifiedUncached(qualifiedName);
        if (_inProgress.Count == 0 && !_spent)
        {
            // Results computed while a binding is in progress may be truncated by the cycle guard: not cached.
            _qualifiedCache[qualifiedName] = result;
        }
        return result;
    }

    private IReadOnlyList<SymbolicValue> ResolveQualifiedUncached(string qualifiedName)
    {
        var module = _project.LongestModulePrefix(qualifiedName, out var rest);
        if (module is null)
        {
            return [new ApiValue(qualifiedName)];
        }
        IReadOnlyList<SymbolicValue> values = [new ModuleValue(module)];
        if (rest.Length > 0)
        {
            foreach (var part in rest.Split('.'))
            {
                values = MemberOfAny(values, part);
            }
        }
        var dot = qualifiedName.IndexOf('.');
        var top = dot < 0 ? qualifiedName : qualifiedName[..dot];
        // The library's own name first, so findings name `pickle.loads` rather than what a scanned pickle.py binds.
        return _modelNamespaces.Contains(top) ? Union([new ApiValue(qualifiedName)], values) : values;
    }

    /// <summary>
    /// A parameter annotated with an abstract project class, one that declares an abstract method (<c>encoder:
    /// Optional[Encoder]</c>, <see cref="Taint.AnnotationTypes"/>), holds an instance of a subclass: the taint engine
    /// follows an abstract method called on it to the subclasses' overrides (dramatiq's result backends), or for a
    /// protocol to the classes implementing it. Concrete classes are left out: every annotated parameter typed so
    /// brought a false high into the Cloud SDK's scan through lark. Library types give nothing here (their models see
    /// the annotation). A type variable stands for its bound (<see cref="TypeVariableBound"/>).
    /// </summary>
    private IReadOnlyList<SymbolicValue> AnnotatedInstances(Expr annotation, EvalContext context)
    {
        var result = new ValueSet();
        AddAnnotated(ref result, annotation, context, asClass: false, typeVariables: true);
        return result.Result;
    }

    /// <param name="asClass">The annotation is inside <c>type[...]</c>: it names classes, not instances.</param>
    /// <param name="typeVariables">Whether a type variable is read as its bound (not in a bound: no valid one names another).</param>
    private void AddAnnotated(ref ValueSet result, Expr annotation, EvalContext context, bool asClass, bool typeVariables)
    {
        foreach (var type in Taint.AnnotationTypes.Of(annotation))
        {
            // `type[Container]` (also `Type[...]`): the class itself, whose classmethods its subclasses override.
            var (named, isClass) = type is SubscriptExpr { Value: NameExpr { Id: "type" or "Type" } or AttributeExpr { Attr: "Type" }, Slice: var inner }
                ? (inner, true)
                : (type, asClass);
            if (typeVariables && TypeVariableBound(named, context) is var (bound, declared))
            {
                AddAnnotated(ref result, bound, declared, isClass, typeVariables: false);
                continue;
            }
            var values = Resolve(named, context);
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is ClassValue cls && DeclaresAbstractMethod(cls.Class))
                {
                    result.Add(isClass ? cls : new InstanceValue(cls.Class, null));
                }
            }
        }
    }

    private static bool DeclaresAbstractMethod(ClassInfo cls) =>
        cls.BodyScope.Names.Any(name => cls.BodyScope.BindingsOf(name).Any(b => b.Function is { IsAbstract: true }));

    private static IReadOnlyList<SymbolicValue> Union(IReadOnlyList<SymbolicValue> first, IReadOnlyList<SymbolicValue> second)
    {
        var values = new ValueSet();
        values.Add(first);
        values.Add(second);
        return values.Result;
    }

    /// <summary>The distinct values of a lazy sequence, at most <see cref="MaxValues"/>: the sequence is not read past them.</summary>
    private static IReadOnlyList<SymbolicValue> Cap(IEnumerable<SymbolicValue> values)
    {
        var result = new ValueSet();
        foreach (var value in values)
        {
            result.Add(value);
            if (result.Full)
            {
                break;
            }
        }
        return result.Result;
    }

    /// <summary>
    /// A call from outside (depth 0) starts a new query, with a budget of its own and <paramref name="module"/> as where
    /// a cut is reported. Every public entry that resolves starts here: one that did not (a member or qualified name
    /// asked for from outside) ran on the previous query's budget, and after a query that ran out it found nothing —
    /// so what it found depended on which query the thread's resolver had answered before.
    /// </summary>
    private void StartQueryIfOutside(ModuleModel? module)
    {
        if (_depth == 0)
        {
            if (_rebindings is null)
            {
                FindRebindings();
            }
            _work = 0;
            _spent = false;
            _queryModule = module;
        }
    }

    /// <summary>
    /// Finds <see cref="_rebindings"/> before the resolver's first query, with nothing in progress, or takes what the
    /// project's first resolver found (<see cref="ProjectModel.Rebindings"/>). The resolutions it makes, outside
    /// queries of their own, see none: the stores' owners and values are read as written.
    /// </summary>
    private void FindRebindings()
    {
        _rebindings = LibraryRebindings.None;
        _rebindings = _project.Rebindings(() => LibraryRebindings.Find(this, _project, _modelNamespaces));
    }

    /// <summary>Counts one unit of work of the current outside query.</summary>
    private bool OverWorkBudget()
    {
        if (_spent)
        {
            return true;
        }
        if (++_work <= MaxWorkPerQuery)
        {
            return false;
        }
        _spent = true;
        _resultsCutShort++;
        if (_queryModule is not null)
        {
            _project.CountQueryCutShort(_queryModule);
        }
        return true;
    }
}
