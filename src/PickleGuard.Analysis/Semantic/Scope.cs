using System.Runtime.InteropServices;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A Python scope with its bindings, in source order, and its global/nonlocal declarations.</summary>
public sealed class Scope : IdentityKeyed
{
    // The binder fills a scope's table as it walks the scope's code, not knowing how many names it will bind: it fills
    // a table borrowed from this thread's spares, and Seal copies that into one of the exact size. Most scopes bind a
    // few names, and a table grown by doubling from empty allocates up to three times the entries it ends with.
    [ThreadStatic]
    private static Stack<Dictionary<string, NameBindings>>? _spareTables;

    // A sealed scope of few names keeps them in two arrays, in number order, instead of a table: most function,
    // lambda and comprehension scopes bind a handful, and a short scan costs less than a table's entries and buckets.
    private const int MaxScanned = 8;

    // Null once a scope of few names is sealed: its names are then in _numberedNames and _scanned.
    private Dictionary<string, NameBindings>? _bindings;
    private string[]? _numberedNames;
    private NameBindings[]? _scanned;
    // Made on the first declaration or star import: few scopes have any.
    private List<string>? _starImports;
    private HashSet<string>? _globals;
    private HashSet<string>? _nonlocals;

    internal Scope(ScopeKind kind, Node node, Scope? parent, ModuleModel module, BlockPath body)
    {
        Kind = kind;
        Node = node;
        Parent = parent;
        Module = module;
        Body = body;
        _bindings = _spareTables is { Count: > 0 } spares ? spares.Pop() : new(StringComparer.Ordinal);
    }

    public ScopeKind Kind { get; }

    /// <summary>The module, def, class, lambda or comprehension node.</summary>
    public Node Node { get; }

    public Scope? Parent { get; }

    public ModuleModel Module { get; }

    /// <summary>The block of the scope's own statement list.</summary>
    public BlockPath Body { get; }

    /// <summary>Modules imported with <c>from m import *</c> here (absolute names).</summary>
    public IReadOnlyList<string> StarImports => (IReadOnlyList<string>?)_starImports ?? [];

    internal void AddStarImport(string module) => (_starImports ??= []).Add(module);

    public IEnumerable<string> Names => _bindings is null ? _numberedNames! : _bindings.Keys;

    /// <summary>How many names the scope binds.</summary>
    public int BindingCount => _bindings is null ? _scanned!.Length : _bindings.Count;

    public bool Binds(string name) => Find(name) is not null;

    /// <summary>The number of a name the scope binds: the order in which it was first bound (0, 1, ...).</summary>
    public bool TryGetNumber(string name, out int number)
    {
        number = Find(name)?.Number ?? -1;
        return number >= 0;
    }

    /// <summary>The names the scope binds, by <see cref="TryGetNumber"/> number (made on first use, once binding is done).</summary>
    public string[] NumberedNames => _numberedNames ??= [.. _bindings!.Keys];

    public IReadOnlyList<Binding> BindingsOf(string name) => (IReadOnlyList<Binding>?)Find(name) ?? Array.Empty<Binding>(); // not `[]`: a new List per miss

    private NameBindings? Find(string name)
    {
        if (_bindings is not null)
        {
            return _bindings.TryGetValue(name, out var bindings) ? bindings : null;
        }
        var names = _numberedNames!;
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return _scanned![i];
            }
        }
        return null;
    }

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
        // The binder adds a binding to the scope it walks or to an enclosing one (global, nonlocal, a walrus in a
        // comprehension), and seals a scope only when it leaves it: so no scope is sealed while bindings can still come.
        if (_bindings is null)
        {
            throw new InvalidOperationException($"binding '{binding.Name}' added to a sealed scope");
        }
        // One hash lookup for both the find and the insert.
        ref var bindings = ref CollectionsMarshal.GetValueRefOrAddDefault(_bindings, binding.Name, out var exists);
        if (exists)
        {
            bindings!.Add(binding);
        }
        else
        {
            bindings = new NameBindings(_bindings.Count - 1, binding);
        }
    }

    /// <summary>
    /// Called by the binder once it has walked the scope's code: the names move to a table of their exact number, or to
    /// two arrays when they are few (in the same order: numbers and <see cref="Names"/> stay as they were), and the
    /// borrowed table goes back to the thread's spares.
    /// </summary>
    internal void Seal()
    {
        var borrowed = _bindings!;
        if (borrowed.Count <= MaxScanned)
        {
            _numberedNames = borrowed.Count == 0 ? [] : [.. borrowed.Keys];
            _scanned = borrowed.Count == 0 ? [] : [.. borrowed.Values];
            _bindings = null;
        }
        else
        {
            _bindings = new Dictionary<string, NameBindings>(borrowed, StringComparer.Ordinal);
        }
        borrowed.Clear();
        (_spareTables ??= new Stack<Dictionary<string, NameBindings>>()).Push(borrowed);
    }

    /// <summary>
    /// The bindings of one name, with the name's number in the scope (no entry is ever removed: numbers are insertion
    /// order). Most names are bound once: the first binding is held here, and only later ones need an array.
    /// </summary>
    private sealed class NameBindings(int number, Binding first) : IReadOnlyList<Binding>
    {
        private Binding[]? _later;

        public int Number { get; } = number;

        public int Count { get; private set; } = 1;

        public Binding this[int index] =>
            (uint)index >= (uint)Count ? throw new ArgumentOutOfRangeException(nameof(index))
            : index == 0 ? first
            : _later![index - 1];

        public void Add(Binding binding)
        {
            if (_later is null || Count - 1 == _later.Length)
            {
                Array.Resize(ref _later, _later is null ? 1 : _later.Length * 2);
            }
            _later[Count - 1] = binding;
            Count++;
        }

        public IEnumerator<Binding> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
