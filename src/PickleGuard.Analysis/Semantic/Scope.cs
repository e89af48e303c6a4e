using System.Runtime.InteropServices;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A Python scope with its bindings, in source order, and its global/nonlocal declarations.</summary>
public sealed class Scope : IdentityKeyed
{
    private readonly Dictionary<string, NameBindings> _bindings = new(StringComparer.Ordinal);
    private string[]? _numberedNames;
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

    /// <summary>The number of a name the scope binds: the order in which it was first bound (0, 1, ...).</summary>
    public bool TryGetNumber(string name, out int number)
    {
        if (_bindings.TryGetValue(name, out var bindings))
        {
            number = bindings.Number;
            return true;
        }
        number = -1;
        return false;
    }

    /// <summary>The names the scope binds, by <see cref="TryGetNumber"/> number (made on first use, once binding is done).</summary>
    public string[] NumberedNames => _numberedNames ??= [.. _bindings.Keys];

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
        list ??= new NameBindings(_bindings.Count - 1);
        list.Add(binding);
    }

    /// <summary>The bindings of one name, with the name's number in the scope (no entry is ever removed: numbers are insertion order).</summary>
    private sealed class NameBindings(int number) : List<Binding>(1)
    {
        public int Number { get; } = number;
    }
}
