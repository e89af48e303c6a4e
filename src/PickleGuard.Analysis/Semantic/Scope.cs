using System.Runtime.InteropServices;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A Python scope with its bindings, in source order, and its global/nonlocal declarations.</summary>
public sealed class Scope : IdentityKeyed
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    // Made on the first declaration: few scopes have any.
    private HashSet<string>? _globals;
    private HashSet<string>? _nonlocals;

    internal Scope(ScopeKind kind, Node node, Scope? parent, ModuleModel module, BlockPath body)
    {
        Kind = kind;
        Node = node;
        Parent = parent;
        Module = module;
        Body = body;
    }

    public ScopeKind Kind { get; }

    /// <summary>The module, def, class, lambda or comprehension node.</summary>
    public Node Node { get; }

    public Scope? Parent { get; }

    public ModuleModel Module { get; }

    /// <summary>The block of the scope's own statement list.</summary>
    public BlockPath Body { get; }

    /// <summary>Modules imported with <c>from m import *</c> here (absolute names).</summary>
    public List<string> StarImports { get; } = [];

    public IEnumerable<string> Names => _bindings.Keys;

    /// <summary>How many names the scope binds.</summary>
    public int BindingCount => _bindings.Count;

    public bool Binds(string name) => _bindings.ContainsKey(name);

    public IReadOnlyList<Binding> BindingsOf(string name) => _bindings.TryGetValue(name, out var list) ? list : Array.Empty<Binding>(); // not `[]`: a new List per miss

    public bool IsGlobal(string name) => _globals is not null && _globals.Contains(name);

    public bool IsNonlocal(string name) => _nonlocals is not null && _nonlocals.Contains(name);

    /// <summary>
    /// The scope whose binding of <paramref name="name"/> code running here sees: the module for a <c>global</c> name,
    /// else the nearest that binds it — this one, then the enclosing functions and the module (class bodies skipped);
    /// null for a builtin or an undefined name.
    /// </summary>
    public Scope? ScopeBinding(string name)
    {
        if (IsGlobal(name))
        {
            return Module.ModuleScope;
        }
        for (Scope? scope = this; scope is not null; scope = scope.Parent)
        {
            if ((scope == this || scope.Kind != ScopeKind.Class) && scope.Binds(name))
            {
                return scope;
            }
        }
        return null;
    }

    /// <summary>Whether the scope declares some name <c>global</c> or <c>nonlocal</c> (its stores then reach an outer scope).</summary>
    public bool DeclaresOuterNames => _globals is not null || _nonlocals is not null;

    internal void DeclareGlobal(string name) => (_globals ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    internal void DeclareNonlocal(string name) => (_nonlocals ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    internal void Add(Binding binding)
    {
        // One hash lookup for both the find and the insert; most names are bound once, so a new list has room for
        // one binding, not List's default four.
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_bindings, binding.Name, out _);
        list ??= new List<Binding>(1);
        list.Add(binding);
    }
}
