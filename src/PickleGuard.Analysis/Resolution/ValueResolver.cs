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
    private const int MaxValues = 32;

    private readonly ProjectModel _project;
    private readonly ISet<string> _modelNamespaces;
    private readonly Dictionary<Binding, IReadOnlyList<SymbolicValue>> _bindingCache = [];
    private readonly Dictionary<ClassInfo, IReadOnlyList<SymbolicValue>> _baseCache = [];
    private readonly Dictionary<string, IReadOnlyList<SymbolicValue>> _qualifiedCache = new(StringComparer.Ordinal);
    private readonly Dictionary<(ModuleModel, string), IReadOnlyList<SymbolicValue>> _moduleMemberCache = [];
    private readonly Dictionary<(ClassInfo, string, bool), IReadOnlyList<SymbolicValue>> _classMemberCache = [];
    private readonly HashSet<Binding> _inProgress = [];
    private int _depth;

    /// <param name="modelNamespaces">Top-level names of modelled libraries (<c>pickle</c>, <c>yaml</c>, …): a project
    /// module with such a name is treated as possibly being that library too (vendored copies, stdlib scans).</param>
    public ValueResolver(ProjectModel project, ISet<string> modelNamespaces)
    {
        _project = project;
        _modelNamespaces = modelNamespaces;
    }

    public ProjectModel Project => _project;

    public IReadOnlyList<SymbolicValue> Resolve(Expr expr, EvalContext context)
    {
        if (_depth > MaxDepth)
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
                BoolOpExpr boolean => Cap(boolean.Values.SelectMany(v => Resolve(v, context))),
                NamedExpr named => Resolve(named.Value, context),
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
        return values.Count == 1 ? Member(values[0], attribute.Attr) : Cap(values.SelectMany(v => Member(v, attribute.Attr)));
    }

    /// <summary>The values a binding gives its name (cached; a binding that depends on itself contributes nothing).</summary>
    public IReadOnlyList<SymbolicValue> ResolveBinding(Binding binding)
    {
        if (_bindingCache.TryGetValue(binding, out var cached))
        {
            return cached;
        }
        if (!_inProgress.Add(binding) || _depth > MaxDepth)
        {
            return [];
        }
        _depth++;
        IReadOnlyList<SymbolicValue> result;
        try
        {
            result = binding.Kind switch
            {
                BindingKind.Import or BindingKind.ImportFrom when binding.ImportedName is { } name => ResolveQualified(name),
                BindingKind.Assignment or BindingKind.WithTarget when binding.Value is { } value => Resolve(value, EvalContext.Of(binding)),
                BindingKind.FunctionDef when binding.Function is { } function => [new FunctionValue(function, null)],
                BindingKind.ClassDef when binding.Class is { } cls => [new ClassValue(cls)],
                BindingKind.Parameter when binding.SelfOf is { } owner =>
                    binding.SelfIsClass ? [new ClassValue(owner)] : [new InstanceValue(owner, null)],
                _ => [],
            };
        }
        finally
        {
            _depth--;
            _inProgress.Remove(binding);
        }
        _bindingCache[binding] = result;
        return result;
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
        var result = ResolveQualifiedUncached(qualifiedName);
        if (_inProgress.Count == 0)
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
                values = Cap(values.SelectMany(v => Member(v, part)));
            }
        }
        var top = qualifiedName.Split('.')[0];
        // The library's own name first, so findings name `pickle.loads` rather than what a scanned pickle.py binds.
        return _modelNamespaces.Contains(top) ? Union([new ApiValue(qualifiedName)], values) : values;
    }

    private static IReadOnlyList<SymbolicValue> Union(IReadOnlyList<SymbolicValue> first, IReadOnlyList<SymbolicValue> second) =>
        Cap(first.Concat(second));

    private static IReadOnlyList<SymbolicValue> Cap(IEnumerable<SymbolicValue> values)
    {
        var result = new List<SymbolicValue>();
        foreach (var value in values)
        {
            if (!result.Contains(value))
            {
                result.Add(value);
                if (result.Count == MaxValues)
                {
                    break;
                }
            }
        }
        return result;
    }
}
