using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// The semantic model of one module: its qualified name, scopes and bindings, classes, functions, every call
/// site and every import. Built once, then read-only (safe to share between threads).
/// </summary>
public sealed class ModuleModel : IdentityKeyed
{
    /// <summary>
    /// The module's position in <see cref="ProjectModel.Modules"/>, which numbers its modules (-1 before): tables of the
    /// analyses indexed by module read it instead of hashing the module.
    /// </summary>
    public int Position { get; internal set; } = -1;

    private ModuleModel(ParseResult parse, string name, bool isPackage)
    {
        Parse = parse;
        Name = name;
        IsPackage = isPackage;
    }

    public ParseResult Parse { get; }

    public SourceText Source => Parse.Source;

    public string Path => Parse.Source.Path;

    /// <summary>Dotted module name, e.g. <c>app.codecs.real</c> (a package's <c>__init__</c> has the package name).</summary>
    public string Name { get; }

    public bool IsPackage { get; }

    /// <summary>The package relative imports resolve against.</summary>
    public string PackageName => IsPackage ? Name : (Name.LastIndexOf('.') is var dot and > 0 ? Name[..dot] : "");

    public Scope ModuleScope { get; private set; } = null!;

    public IReadOnlyList<CallSite> Calls => _calls;

    private CallSite[] _calls = [];

    /// <summary>The call at <paramref name="position"/> in <see cref="Calls"/>, read from the array itself.</summary>
    internal CallSite CallAt(int position) => _calls[position];

    /// <summary>
    /// By <see cref="CallExpr.Ordinal"/>: the call node and its position in <see cref="Calls"/> (an array, not a hash
    /// table keyed by the node: the taint engine looks a call up on every evaluation, and one slot is one cache miss
    /// at most). The node tells this module's call from another module's call with the same ordinal.
    /// </summary>
    private int[] _callIndex = [];

    public IReadOnlyList<ImportSite> Imports { get; private set; } = [];

    public IReadOnlyDictionary<ClassDefStmt, ClassInfo> Classes { get; private set; } = null!;

    public IReadOnlyDictionary<Node, FunctionInfo> Functions { get; private set; } = null!;

    /// <summary>Names changed in place somewhere in the module (<c>ALLOWED.add(x)</c>, <c>TABLE[k] = v</c>), in any scope.</summary>
    internal IReadOnlySet<string> MutatedNames { get; private set; } = null!;

    /// <summary>What the top level's code (class bodies at module level included) reads and writes of attributes and files.</summary>
    internal CodeFootprint TopLevelFootprint { get; private set; } = null!;

    /// <summary>
    /// <c>x.attr = value</c> stores other than through a method's own receiver: on a plain name (<c>a.data = v</c> on a
    /// local instance) or another expression (<c>o.inner.data = v</c>), in source order; each binding's
    /// <see cref="Binding.Node"/> is the attribute target. Stores through <c>self</c> are on
    /// <see cref="ClassInfo.InstanceAttributes"/> instead.
    /// </summary>
    public IReadOnlyList<Binding> AttributeStores { get; private set; } = [];

    /// <summary>
    /// <c>name[key] = reference</c> stores of a name or attribute (<c>DECODERS["yaml"] = yaml.load</c>) by the container's
    /// name, from any scope of the module; each binding's <see cref="Binding.Node"/> is the subscript target.
    /// </summary>
    public IReadOnlyDictionary<string, List<Binding>> TableEntries { get; private set; } = new Dictionary<string, List<Binding>>();

    /// <summary>Every absolute module name this module imports (the edges of the import graph).</summary>
    public IReadOnlyList<string> ImportedModules => Imports.SelectMany(i => i.Modules).Distinct(StringComparer.Ordinal).ToArray();

    public static ModuleModel Build(ParseResult parse, string name, bool isPackage)
    {
        var module = new ModuleModel(parse, name, isPackage);
        var binder = new Binder(module);
        binder.Bind(parse.Module);
        module.ModuleScope = binder.ModuleScope;
        module._calls = binder.Calls;
        var ordinals = 0;
        foreach (var site in binder.Calls)
        {
            ordinals = Math.Max(ordinals, site.Call.Ordinal + 1);
        }
        module._callIndex = new int[ordinals];
        Array.Fill(module._callIndex, -1); // an ordinal the binder did not reach (below its depth limit) has no call site
        for (var i = 0; i < binder.Calls.Length; i++)
        {
            var call = binder.Calls[i].Call;
            if (call.Ordinal >= 0)
            {
                module._callIndex[call.Ordinal] = i;
            }
        }
        module.Imports = binder.Imports;
        module.Classes = binder.Classes;
        module.Functions = binder.Functions;
        module.TopLevelFootprint = binder.TopLevelFootprint;
        module.MutatedNames = MutatedNamesOf(binder);
        module.AttributeStores = binder.AttributeStores;
        module.TableEntries = binder.TableEntries;
        return module;
    }

    /// <summary>The names the footprints of the module's code say are changed in place, in any of its scopes.</summary>
    private static IReadOnlySet<string> MutatedNamesOf(Binder binder)
    {
        HashSet<string>? names = null;
        foreach (var footprint in binder.Functions.Values.Select(f => f.Footprint).Prepend(binder.TopLevelFootprint))
        {
            if (footprint.MutatedNames.Count > 0)
            {
                (names ??= new(StringComparer.Ordinal)).UnionWith(footprint.MutatedNames);
            }
        }
        return (IReadOnlySet<string>?)names ?? NoNames;
    }

    private static readonly HashSet<string> NoNames = [];

    /// <summary>
    /// The calls whose callee is written as <paramref name="name"/> or <c>x.name</c> (<see cref="ProjectModel.TrailingName"/>),
    /// in source order. The index is built on the first question (a race builds it twice, and either copy is right):
    /// searches for a class's constructions or a function's callers walked every call of the modules, once per question.
    /// </summary>
    public IReadOnlyList<CallSite> CallsNamed(string name) =>
        LazyInitializer.EnsureInitialized(ref _callsByName, IndexCallsByName).GetValueOrDefault(name) ?? NoCalls;

    private Dictionary<string, CallSiteList>? _callsByName;

    private Dictionary<string, CallSiteList> IndexCallsByName()
    {
        var index = new Dictionary<string, CallSiteList>(StringComparer.Ordinal);
        for (var i = 0; i < _calls.Length; i++)
        {
            AddCall(index, _calls[i].Call.Func, i);
        }
        return index;
    }

    /// <summary>
    /// The calls given an argument written as <paramref name="name"/> or <c>x.name</c>, positional or keyword
    /// (<c>Process(target=worker, ...)</c>, <c>pool.map(worker, items)</c>), in source order; indexed as
    /// <see cref="CallsNamed"/> is.
    /// </summary>
    public IReadOnlyList<CallSite> CallsPassing(string name) =>
        LazyInitializer.EnsureInitialized(ref _callsByArgumentName, IndexCallsByArgumentName).GetValueOrDefault(name) ?? NoCalls;

    private Dictionary<string, CallSiteList>? _callsByArgumentName;

    private Dictionary<string, CallSiteList> IndexCallsByArgumentName()
    {
        var index = new Dictionary<string, CallSiteList>(StringComparer.Ordinal);
        for (var c = 0; c < _calls.Length; c++)
        {
            var call = _calls[c].Call;
            for (var i = 0; i < call.Args.Count + call.Keywords.Count; i++)
            {
                AddCall(index, CodeFootprint.ArgumentAt(call, i), c);
            }
        }
        return index;
    }

    private static readonly IReadOnlyList<CallSite> NoCalls = Array.Empty<CallSite>();

    /// <summary>Adds the call under the name <paramref name="named"/> ends with (<see cref="ProjectModel.TrailingName"/>), once: <c>f(worker, worker)</c>.</summary>
    private void AddCall(Dictionary<string, CallSiteList> index, Expr named, int position)
    {
        if (ProjectModel.TrailingName(named) is not { } name)
        {
            return;
        }
        if (!index.TryGetValue(name, out var calls))
        {
            index[name] = calls = new CallSiteList(this);
        }
        calls.AddOnce(position);
    }

    /// <summary>The call site (scope and blocks) of a call expression of this module, or null.</summary>
    public CallSite? CallSiteOf(CallExpr call) => IndexOfCall(call) is >= 0 and var index ? _calls[index] : null;

    /// <summary>The position of a call expression of this module in <see cref="Calls"/>, or -1.</summary>
    public int IndexOfCall(CallExpr call) =>
        (uint)call.Ordinal < (uint)_callIndex.Length && _callIndex[call.Ordinal] is >= 0 and var index && _calls[index].Call == call ? index : -1;

    /// <summary>
    /// The absolute module a relative import names (<c>from ..x import y</c> has level 2 and module <c>x</c>),
    /// or null when it climbs above the top-level package.
    /// </summary>
    public string? ResolveRelative(int level, string? module)
    {
        if (level <= 0)
        {
            return module;
        }
        var parts = PackageName.Length == 0 ? new List<string>() : PackageName.Split('.').ToList();
        if (parts.Count < level)
        {
            return null; // CPython: "attempted relative import beyond top-level package"
        }
        parts.RemoveRange(parts.Count - (level - 1), level - 1);
        if (!string.IsNullOrEmpty(module))
        {
            parts.Add(module);
        }
        return parts.Count == 0 ? null : string.Join('.', parts);
    }

    public override string ToString() => $"{Name} ({Path})";
}
