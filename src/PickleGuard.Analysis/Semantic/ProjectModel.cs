using System.Collections.Concurrent;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// All scanned modules, indexed by dotted name, with the project-internal import graph. The taint engine builds its
/// call graph on top of this; <see cref="Resolution.ValueResolver"/> resolves names across modules through it.
/// </summary>
public sealed class ProjectModel
{
    private readonly Dictionary<string, ModuleModel> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ModuleModel, int> _queriesCutShort = new();
    private readonly Lazy<Dictionary<string, Binding[]>> _attributeStores;
    private readonly Lazy<Dictionary<string, (FunctionInfo, Expr)[]>> _decoratedByName;
    private readonly Lazy<Dictionary<ModuleModel, List<ModuleModel>>> _importers;
    private readonly ConcurrentDictionary<(ModuleModel, string), string[]> _starProviders = new();
    private readonly Lock _rebindingsLock = new();
    private Resolution.LibraryRebindings? _rebindings;

    public ProjectModel(IReadOnlyList<ModuleModel> modules)
    {
        Modules = modules;
        for (var i = 0; i < modules.Count; i++)
        {
            var module = modules[i];
            module.Position = i;
            if (module.Name.Length > 0)
            {
                _byName.TryAdd(module.Name, module);
            }
        }
        AddNamespacePackageNames(modules);
        _attributeStores = new Lazy<Dictionary<string, Binding[]>>(IndexAttributeStores, LazyThreadSafetyMode.ExecutionAndPublication);
        _decoratedByName = new Lazy<Dictionary<string, (FunctionInfo, Expr)[]>>(IndexDecorated, LazyThreadSafetyMode.ExecutionAndPublication);
        _importers = new Lazy<Dictionary<ModuleModel, List<ModuleModel>>>(IndexImporters, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// The project's library rebindings, found once, by the first resolver that asks (<paramref name="find"/>): every
    /// resolver of the scan sees the same, and the walk over every attribute store of the project is not repeated per
    /// worker.
    /// </summary>
    internal Resolution.LibraryRebindings Rebindings(Func<Resolution.LibraryRebindings> find)
    {
        lock (_rebindingsLock)
        {
            return _rebindings ??= find();
        }
    }

    /// <summary>
    /// PEP 420 namespace packages: a module whose name stops below a folder holding no <c>__init__.py</c> is also found
    /// under the names that folder and those above it give, as when a folder above is on the import path: up to four
    /// folders up, while they are identifiers. <c>app/pkg/loader.py</c>, named <c>loader</c>, is also <c>pkg.loader</c>
    /// and <c>app.pkg.loader</c>; <c>infer/vc/modules.py</c> below <c>infer/vc/__init__.py</c>, named
    /// <c>vc.modules</c>, is also <c>infer.vc.modules</c>. As in CPython a regular module wins: a name some module already
    /// has is not added, nor one through a folder with a module file of its name beside it (<c>app.py</c> next to
    /// <c>app/</c>: <c>import app</c> finds the file from that path entry), nor one that two modules would share.
    /// </summary>
    private void AddNamespacePackageNames(IReadOnlyList<ModuleModel> modules)
    {
        var aliases = new Dictionary<string, ModuleModel?>(StringComparer.Ordinal);
        var files = modules.Select(module => module.Path.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            if (module.Name.Length == 0)
            {
                continue;
            }
            var folders = module.Path.Replace('\\', '/').Split('/');
            // The first folder above those the name spans: the file and its packages' folders (a package's own too).
            var nameParts = module.Name.Count(c => c == '.') + 1;
            var start = folders.Length - 1 - nameParts - (module.IsPackage ? 1 : 0);
            var name = module.Name;
            for (var i = start; i >= 0 && i >= start - 3 && Models.ApiPath.IsIdentifier(folders[i]); i--)
            {
                name = folders[i] + "." + name;
                if (!files.Contains(string.Join('/', folders, 0, i + 1) + ".py"))
                {
                    aliases[name] = aliases.ContainsKey(name) ? null : module; // null: two modules, no alias
                }
            }
        }
        foreach (var (alias, module) in aliases)
        {
            if (module is not null)
            {
                _byName.TryAdd(alias, module);
            }
        }
    }

    /// <summary>In input order.</summary>
    public IReadOnlyList<ModuleModel> Modules { get; }

    /// <summary>
    /// Each class's chain as <see cref="Resolution.ValueResolver.ClassAndBases"/> found it when no limit cut it short,
    /// shared by every resolver of the scan: each thread's resolver (sink detection, confinement, relevant units, the
    /// fixpoint's workers) walked the same chains again, about 3 % of a taint scan's CPU.
    /// </summary>
    internal ConcurrentDictionary<ClassInfo, ClassInfo[]> ClassChains { get; } = new();

    public ModuleModel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The longest prefix of <paramref name="qualifiedName"/> that is a scanned module, or null.</summary>
    public ModuleModel? LongestModulePrefix(string qualifiedName, out string rest)
    {
        // Prefixes looked up as spans: no string is made for those that name no module.
        var byPrefix = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        var name = qualifiedName.AsSpan();
        while (true)
        {
            if (byPrefix.TryGetValue(name, out var module))
            {
                rest = qualifiedName.Length == name.Length ? "" : qualifiedName[(name.Length + 1)..];
                return module;
            }
            var dot = name.LastIndexOf('.');
            if (dot < 0)
            {
                rest = qualifiedName;
                return null;
            }
            name = name[..dot];
        }
    }

    /// <summary>
    /// Every <c>x.attribute = value</c> store of the project other than on a method's own receiver: on a plain name or
    /// on another expression (<c>o.inner.data = v</c>) (<see cref="ModuleModel.AttributeStores"/>), in module input
    /// order then source order. The index is built on
    /// the first call (thread-safe) from what the binder already collected.
    /// </summary>
    public IReadOnlyList<Binding> AttributeStoresOf(string attribute) =>
        _attributeStores.Value.TryGetValue(attribute, out var stores) ? stores : [];

    private Dictionary<string, Binding[]> IndexAttributeStores() =>
        ByName(Modules.SelectMany(module => module.AttributeStores).Select(store => (store.Name, store)));

    /// <summary>Items grouped by name, each group in input order.</summary>
    private static Dictionary<string, T[]> ByName<T>(IEnumerable<(string Name, T Item)> items) =>
        items.GroupBy(pair => pair.Name, pair => pair.Item, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// The project's functions with a decorator named <paramref name="name"/> (<c>@name</c>, <c>@m.name(...)</c>), each
    /// with that decorator as written. Built on the first call (thread-safe) and shared by every resolver of the scan:
    /// one index per resolver cost about 1.5 % of a stdlib taint scan's CPU.
    /// </summary>
    public IReadOnlyList<(FunctionInfo Function, Expr Decorator)> DecoratedByName(string name) =>
        _decoratedByName.Value.TryGetValue(name, out var decorated) ? decorated : [];

    /// <summary>The name a reference ends with: <c>name</c> of <c>name</c> and <c>m.name</c> (a decorator's index key, a call's callee name).</summary>
    public static string? TrailingName(Expr named) => named switch { NameExpr n => n.Id, AttributeExpr a => a.Attr, _ => null };

    private Dictionary<string, (FunctionInfo, Expr)[]> IndexDecorated() =>
        ByName(from function in Modules.SelectMany(module => module.Functions.Values)
               from written in function.Decorators
               let name = TrailingName(written is CallExpr call ? call.Func : written)
               where name is not null
               select (name!, (function, written)));

    /// <summary>
    /// Where <paramref name="name"/> comes from when <paramref name="module"/>'s star imports provide it, as qualified
    /// names to resolve: each scanned module along the star imports that binds the name or has a submodule of that
    /// name (the walk stops there: the name resolves in it), and each library module star-imported on the way (its
    /// names are unknown here) — each once, however many paths lead to it. A missing module inside a scanned package
    /// provides nothing. A question of the import statements alone, kept per module and name for the whole scan:
    /// walked path by path, a name looked up through packages whose modules star-import each other (PaddleNLP's
    /// `transformers/__init__.py` star-imports some sixty) took minutes.
    /// </summary>
    public IReadOnlyList<string> StarProviders(ModuleModel module, string name)
    {
        if (_starProviders.TryGetValue((module, name), out var known))
        {
            return known;
        }
        var providers = new List<string>();
        AddStarProviders(module, name, providers, [module]);
        string[] result = [.. providers];
        _starProviders.TryAdd((module, name), result);
        return result;
    }

    private void AddStarProviders(ModuleModel module, string name, List<string> providers, HashSet<ModuleModel> seen)
    {
        foreach (var starred in module.ModuleScope.StarImports)
        {
            if (Find(starred) is not { } project)
            {
                if (LongestModulePrefix(starred, out _) is null && !providers.Contains(starred + "." + name))
                {
                    providers.Add(starred + "." + name);
                }
                continue;
            }
            if (!seen.Add(project))
            {
                continue;
            }
            if (project.ModuleScope.Binds(name) || Find(project.Name + "." + name) is not null)
            {
                providers.Add(project.Name + "." + name);
            }
            else
            {
                AddStarProviders(project, name, providers, seen);
            }
        }
    }

    /// <summary>
    /// The modules that may name what <paramref name="defining"/> defines: itself, and those importing it or a package
    /// above it (<c>from pkg import Wrapper</c> re-exported by <c>pkg/__init__.py</c>). Built on the first call
    /// (thread-safe) from the import statements, which are far fewer than the calls a search by name would walk.
    /// </summary>
    public IEnumerable<ModuleModel> ModulesNaming(ModuleModel defining)
    {
        yield return defining;
        var importers = _importers.Value;
        var seen = new HashSet<ModuleModel> { defining };
        for (var name = defining.Name; name.Length > 0; name = name.LastIndexOf('.') is var dot and > 0 ? name[..dot] : "")
        {
            if (Find(name) is { } package && importers.TryGetValue(package, out var importing))
            {
                foreach (var module in importing)
                {
                    if (seen.Add(module))
                    {
                        yield return module;
                    }
                }
            }
        }
    }

    /// <summary>The edges of <see cref="ImportGraph"/> reversed: each scanned module with the modules importing it.</summary>
    private Dictionary<ModuleModel, List<ModuleModel>> IndexImporters()
    {
        var importers = new Dictionary<ModuleModel, List<ModuleModel>>();
        foreach (var (module, imported) in ImportGraph())
        {
            foreach (var target in imported)
            {
                if (!importers.TryGetValue(target, out var list))
                {
                    importers[target] = list = [];
                }
                list.Add(module);
            }
        }
        return importers;
    }

    /// <summary>Project-internal import edges: each module with the scanned modules it imports.</summary>
    public IReadOnlyDictionary<ModuleModel, IReadOnlyList<ModuleModel>> ImportGraph()
    {
        var graph = new Dictionary<ModuleModel, IReadOnlyList<ModuleModel>>();
        foreach (var module in Modules)
        {
            graph[module] = module.ImportedModules
                .Select(name => LongestModulePrefix(name, out _))
                .OfType<ModuleModel>()
                .Where(m => m != module)
                .Distinct()
                .ToArray();
        }
        return graph;
    }

    /// <summary>
    /// Counts a name-resolution query that ran out of its work budget (<see cref="Resolution.ValueResolver.MaxWorkPerQuery"/>)
    /// and was answered "unknown"; <paramref name="module"/> is where the query was asked. Thread-safe: every resolver
    /// of the scan reports here.
    /// </summary>
    internal void CountQueryCutShort(ModuleModel module) => _queriesCutShort.AddOrUpdate(module, 1, (_, count) => count + 1);

    /// <summary>Per module, how many of its resolution queries were cut short, by path.</summary>
    public IReadOnlyList<(ModuleModel Module, int Count)> QueriesCutShort =>
        [.. _queriesCutShort.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key.Path, StringComparer.Ordinal)];
}
