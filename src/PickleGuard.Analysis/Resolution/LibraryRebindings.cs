using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Resolution;

/// <summary>
/// Library functions a scanned module replaces with one of its own at import: stable-diffusion-webui's
/// <c>modules/safe.py</c> ends with <c>unsafe_torch_load = torch.load; torch.load = load</c>, so every later
/// <c>torch.load(...)</c> of the process runs <c>safe.load</c>, which calls the real loader through the saved name
/// (docs/taint.md, "Library functions replaced at import"). A rebinding is an assignment (<c>torch.load = load</c>)
/// or <c>setattr(torch, "load", load)</c> with a literal name, of an attribute of a modelled library
/// (<see cref="ValueResolver"/>'s model namespaces) to a plain project function.
/// <para>
/// A read of <c>torch.load</c> written as an attribute then gives the replacement where it provably runs after the
/// rebinding: in a function of the rebinding module (except the replacement itself, where it would call itself), in
/// that module's top-level code after the rebinding, and anywhere in a module that imports the rebinding module,
/// directly or through other modules, by import statements of their top levels outside any block. Elsewhere — a module
/// that may run without it (a test, another program of the repository) — it stays the library's. A read before the
/// rebinding (<c>unsafe_torch_load = torch.load</c>) and <c>from torch import load</c> stay the library's.
/// </para>
/// <para>
/// The read gives the replacement alone when its store is the library attribute's only one in the project, made by a
/// statement of a module's top level outside any block (no <c>if</c>, <c>try</c>, loop or <c>with</c>). A rebinding
/// made otherwise, or another store of the attribute anywhere (under a condition, in a function, of something that is
/// no project function: <c>if args.disable_safe_unpickle: torch.load = unsafe_torch_load</c>), means the library's
/// function may still be what runs: the read gives both, so the call keeps its sink and taint also flows into the
/// replacement.
/// </para>
/// </summary>
internal sealed class LibraryRebindings
{
    public static readonly LibraryRebindings None = new([]);

    /// <summary>By the library object's path and the attribute rebound (<c>("torch", "load")</c>).</summary>
    private readonly Dictionary<(string Owner, string Attribute), Rebound> _byOwner;

    private LibraryRebindings(Dictionary<(string, string), Rebound> byOwner) => _byOwner = byOwner;

    public bool IsEmpty => _byOwner.Count == 0;

    /// <summary>
    /// A library attribute's stores of project functions, and whether it is the only store of it in the project, made
    /// at the top level outside any block (then the library's function is no longer what runs).
    /// </summary>
    private sealed record Rebound(List<Replacement> Replacements, bool Exclusive);

    /// <summary>One store of a project function: its module, where it takes effect, the function(s) stored, the modules importing it.</summary>
    private sealed record Replacement(ModuleModel Module, int Offset, IReadOnlyList<SymbolicValue> Functions, HashSet<ModuleModel> Importers, bool TopLevel);

    /// <summary>A store of an attribute, by assignment or by <c>setattr</c> with a literal name.</summary>
    private readonly record struct Store(Expr Owner, string Attribute, Expr Value, Scope Scope, int Offset, BlockPath Blocks)
    {
        public bool TopLevel => Scope.Kind == ScopeKind.Module && Blocks == Scope.Body;

        public EvalContext Context => new(Scope, Owner.Span.Start, Blocks);
    }

    /// <summary>
    /// The project's rebindings. Resolves what the stores' owners and values denote with <paramref name="resolver"/>,
    /// which must not apply rebindings meanwhile (it sees <see cref="None"/>).
    /// </summary>
    public static LibraryRebindings Find(ValueResolver resolver, ProjectModel project, ISet<string> modelNamespaces)
    {
        Dictionary<(string, string), (List<Replacement> Replacements, int Stores)>? found = null;
        Dictionary<ModuleModel, List<ModuleModel>>? importers = null;
        foreach (var module in project.Modules)
        {
            if (!ImportsModelledLibrary(module, modelNamespaces))
            {
                continue; // no name of it can be bound to a library's module (MayBeLibraryOwner)
            }
            foreach (var store in StoresOf(module))
            {
                if (!MayBeLibraryOwner(store, modelNamespaces) || LibraryOwner(resolver, store, modelNamespaces) is not { } owner)
                {
                    continue;
                }
                found ??= [];
                var key = (owner, store.Attribute);
                var (replacements, stores) = found.GetValueOrDefault(key, ([], 0));
                if (ReplacementFunctions(resolver, store) is { } functions)
                {
                    importers ??= TopLevelImporters(project);
                    replacements.Add(new Replacement(module, store.Offset, functions, ImportersOf(module, importers), store.TopLevel));
                }
                found[key] = (replacements, stores + 1);
            }
        }
        var byOwner = new Dictionary<(string, string), Rebound>();
        foreach (var (key, (replacements, stores)) in found ?? [])
        {
            if (replacements.Count > 0)
            {
                byOwner[key] = new Rebound(replacements, stores == 1 && replacements[0].TopLevel);
            }
        }
        return byOwner.Count == 0 ? None : new LibraryRebindings(byOwner);
    }

    /// <summary>
    /// What a read of <paramref name="attribute"/> on <paramref name="owners"/> in <paramref name="context"/> gives,
    /// given what the resolver found (<paramref name="members"/>): a rebound library function named as written
    /// (<c>torch.load</c>, not a name bound to it) replaced, or joined, by the project's replacement where the
    /// rebinding has run.
    /// </summary>
    public IReadOnlyList<SymbolicValue> Apply(IReadOnlyList<SymbolicValue> owners, string attribute, IReadOnlyList<SymbolicValue> members, EvalContext context)
    {
        for (var i = 0; i < owners.Count; i++)
        {
            if (owners[i] is ApiValue { Constructor: null, ViaClass: null, Partial: null } owner && _byOwner.TryGetValue((owner.Path, attribute), out var rebound)
                && Replaced(rebound, context) is { } replacements)
            {
                var library = owner.Path + "." + attribute;
                var result = new ValueSet();
                for (var j = 0; j < members.Count; j++)
                {
                    result.Add(members[j] is ApiValue { Path: var path } api && path == library ? Replacing(api, rebound, replacements) : [members[j]]);
                }
                return result.Result;
            }
        }
        return members;
    }

    /// <summary>The replacements, with the library's function too when it may still be what runs.</summary>
    private static IReadOnlyList<SymbolicValue> Replacing(ApiValue library, Rebound rebound, IReadOnlyList<SymbolicValue> replacements) =>
        rebound.Exclusive ? replacements : [.. replacements, library];

    /// <summary>The functions of the rebindings that have run in <paramref name="context"/>, or null.</summary>
    private static IReadOnlyList<SymbolicValue>? Replaced(Rebound rebound, EvalContext context)
    {
        var result = new ValueSet();
        foreach (var replacement in rebound.Replacements)
        {
            if (HasRun(replacement, context))
            {
                result.Add(replacement.Functions);
            }
        }
        return result.Result.Count == 0 ? null : result.Result;
    }

    /// <summary>Whether code in <paramref name="context"/> runs after the rebinding (see the class's remarks).</summary>
    private static bool HasRun(Replacement replacement, EvalContext context)
    {
        if (context.Module != replacement.Module)
        {
            return replacement.Importers.Contains(context.Module);
        }
        var later = false;
        for (var scope = context.Scope; scope is not null; scope = scope.Parent)
        {
            foreach (var function in replacement.Functions)
            {
                if (function is FunctionValue { Function.Scope: var body } && body == scope)
                {
                    return false;
                }
            }
            later |= scope.Kind is ScopeKind.Function or ScopeKind.Lambda;
        }
        return later || context.Offset >= replacement.Offset;
    }

    /// <summary>The attribute stores of <paramref name="module"/>, in any scope or block.</summary>
    private static IEnumerable<Store> StoresOf(ModuleModel module)
    {
        foreach (var binding in module.AttributeStores)
        {
            if (binding is { Kind: BindingKind.Assignment, Augments: false, Node: AttributeExpr target, Value: { } value }
)
            {
                yield return new Store(target.Value, target.Attr, value, binding.ExecutingScope, binding.Offset, binding.Blocks);
            }
        }
        // A scan of the calls, not `CallsNamed`: that index, built for every module here, cost more than the scan. Only
        // where the text may name `setattr`: the scan of every call of every module was most of this search's time.
        if (!ModuleText.MayName(module, "setattr"))
        {
            yield break;
        }
        foreach (var site in module.Calls)
        {
            if (site.Call is { Func: NameExpr { Id: "setattr" }, Args: [var owner, ConstantExpr { Value: { Type: ConstantType.Str, AsString: { } name } }, var value], Keywords.Count: 0 }
)
            {
                yield return new Store(owner, name, value, site.Scope, site.Call.Span.End, site.Blocks);
            }
        }
    }

    /// <summary>The path of the library module or object whose attribute a store sets (<c>torch</c>), when it is a modelled library's.</summary>
    private static string? LibraryOwner(ValueResolver resolver, Store store, ISet<string> modelNamespaces)
    {
        foreach (var owner in resolver.Resolve(store.Owner, store.Context))
        {
            if (owner is ApiValue { Constructor: null, ViaClass: null, Partial: null, Path: var path }
                && !path.Contains(Models.ApiPath.CallMarker, StringComparison.Ordinal)
                && modelNamespaces.Contains(TopSegment(path)))
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>The project functions a store's value is, when it is nothing else (not a method bound to an object).</summary>
    private static IReadOnlyList<SymbolicValue>? ReplacementFunctions(ValueResolver resolver, Store store)
    {
        var values = resolver.Resolve(store.Value, store.Context);
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not FunctionValue { BoundTo: null, BoundPositionals: 0 })
            {
                return null;
            }
        }
        return values.Count > 0 ? values : null;
    }

    /// <summary>
    /// Whether a store's owner is written as a name, or attributes of one, that an import binds to a modelled
    /// library (<c>torch</c>, <c>import torch as t</c>; not <c>self.torch</c>): only those are resolved, out of every
    /// attribute store of the project.
    /// </summary>
    private static bool MayBeLibraryOwner(Store store, ISet<string> modelNamespaces)
    {
        var root = store.Owner;
        while (root is AttributeExpr attribute)
        {
            root = attribute.Value;
        }
        if (root is not NameExpr name)
        {
            return false;
        }
        for (var scope = store.Scope; scope is not null; scope = scope.Parent)
        {
            foreach (var binding in scope.BindingsOf(name.Id))
            {
                if (binding.ImportedName is { } imported && modelNamespaces.Contains(TopSegment(imported)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool ImportsModelledLibrary(ModuleModel module, ISet<string> modelNamespaces)
    {
        foreach (var site in module.Imports)
        {
            foreach (var imported in site.Modules)
            {
                if (!site.IsRelative && modelNamespaces.Contains(TopSegment(imported)))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static string TopSegment(string path) => path.IndexOf('.') is var dot and >= 0 ? path[..dot] : path;

    /// <summary>
    /// Each scanned module with the modules importing it by statements of their top level outside any block:
    /// <c>import a.b</c> runs <c>a.b</c>, <c>from a import b</c> runs <c>a</c> and, when it is one, the submodule <c>a.b</c>.
    /// </summary>
    private static Dictionary<ModuleModel, List<ModuleModel>> TopLevelImporters(ProjectModel project)
    {
        var importers = new Dictionary<ModuleModel, List<ModuleModel>>();
        foreach (var module in project.Modules)
        {
            var topLevel = module.Parse.Module.Body;
            var imported = new HashSet<ModuleModel>();
            foreach (var site in module.Imports)
            {
                if (!topLevel.Contains(site.Statement))
                {
                    continue;
                }
                if (site.Statement is ImportStmt import)
                {
                    foreach (var alias in import.Names)
                    {
                        Add(alias.Name);
                    }
                }
                else if (site.Statement is ImportFromStmt from && site.Modules is [var source])
                {
                    Add(source);
                    foreach (var alias in from.Names)
                    {
                        Add(source + "." + alias.Name);
                    }
                }
            }
            imported.Remove(module);
            foreach (var target in imported)
            {
                (importers.TryGetValue(target, out var list) ? list : importers[target] = []).Add(module);
            }

            void Add(string name)
            {
                if (project.Find(name) is { } target)
                {
                    imported.Add(target);
                }
            }
        }
        return importers;
    }

    /// <summary>The modules that import <paramref name="module"/>, directly or through others (<see cref="TopLevelImporters"/>).</summary>
    private static HashSet<ModuleModel> ImportersOf(ModuleModel module, Dictionary<ModuleModel, List<ModuleModel>> importersOf)
    {
        var importers = new HashSet<ModuleModel>();
        var pending = new Queue<ModuleModel>([module]);
        while (pending.TryDequeue(out var imported))
        {
            foreach (var importer in importersOf.GetValueOrDefault(imported) ?? [])
            {
                if (importer != module && importers.Add(importer))
                {
                    pending.Enqueue(importer);
                }
            }
        }
        return importers;
    }
}
