using System.Runtime.InteropServices;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A Python scope with its bindings, in source order, and its global/nonlocal declarations.</summary>
public sealed class Scope : IdentityKeyed
{
    // The binder fills a scope's tables as it walks the scope's code, not knowing how many names it will bind: it fills
    // tables borrowed from this thread's spares, and Seal copies them into ones of the exact size. Most scopes bind a
    // few names, and a table grown by doubling from empty allocates up to three times the entries it ends with.
    [ThreadStatic]
    private static Stack<FillingTables>? _spareTables;

    // A sealed scope of few names keeps them in an array, in number order, instead of a table: most function, lambda
    // and comprehension scopes bind a handful, and a short scan costs less than a table's entries and buckets.
    private const int MaxScanned = 8;

    // Until Seal: the tables the binder fills.
    private FillingTables? _filling;
    // Once sealed: the names in number order, found by a scan when they are few, else through their slots (or, for
    // names crafted to share slots, in a Dictionary of their numbers instead).
    private NameSlots? _nameSlots;
    private Dictionary<string, int>? _numbers;
    private string[]? _numberedNames;
    // Once sealed, by number: a name's bindings, in source order. A name bound once (most) is held as its binding alone,
    // which is the list of itself (Binding implements IReadOnlyList<Binding>): no list object for it.
    private IReadOnlyList<Binding>[] _bindingsByNumber = [];
    // Made on the first declaration or star import: few scopes have any, so the three share one field.
    private Declarations? _declarations;

    internal Scope(ScopeKind kind, Node node, Scope? parent, ModuleModel module, BlockPath body)
    {
        Kind = kind;
        Node = node;
        Parent = parent;
        Module = module;
        Body = body;
        _filling = _spareTables is { Count: > 0 } spares ? spares.Pop() : new FillingTables();
    }

    public ScopeKind Kind { get; }

    /// <summary>The module, def, class, lambda or comprehension node.</summary>
    public Node Node { get; }

    public Scope? Parent { get; }

    public ModuleModel Module { get; }

    /// <summary>The block of the scope's own statement list.</summary>
    public BlockPath Body { get; }

    /// <summary>
    /// For a function's or lambda's own scope: the number of its unit in the taint index of the project, which
    /// <c>Taint.ProjectIndex.Create</c> writes (and checks when it reads it back); -1 before. The semantic model never
    /// reads it: a slot here replaced two tables of that index, by function and by scope (60,000 entries each on the
    /// standard library, and a hash lookup for most calls resolved).
    /// </summary>
    internal int TaintUnitNumber { get; set; } = -1;

    /// <summary>Modules imported with <c>from m import *</c> here (absolute names).</summary>
    public IReadOnlyList<string> StarImports => (IReadOnlyList<string>?)_declarations?.StarImports ?? [];

    internal void AddStarImport(string module) => ((_declarations ??= new()).StarImports ??= []).Add(module);

    public IEnumerable<string> Names => _numberedNames ?? (IEnumerable<string>)(_numbers ?? _filling!.Numbers).Keys;

    /// <summary>How many names the scope binds.</summary>
    public int BindingCount => _filling?.Bindings.Count ?? _bindingsByNumber.Length;

    public bool Binds(string name) => NumberOf(name) >= 0;

    /// <summary>The number of a name the scope binds: the order in which it was first bound (0, 1, ...).</summary>
    public bool TryGetNumber(string name, out int number)
    {
        number = NumberOf(name);
        return number >= 0;
    }

    /// <summary>The names the scope binds, by <see cref="TryGetNumber"/> number (made on first use, once binding is done).</summary>
    public string[] NumberedNames => _numberedNames ??= [.. _numbers!.Keys];

    public IReadOnlyList<Binding> BindingsOf(string name) =>
        NumberOf(name) is >= 0 and var number ? (_filling?.Bindings[number] ?? _bindingsByNumber[number]) : Array.Empty<Binding>(); // not `[]`: a new List per miss

    private int NumberOf(string name)
    {
        if ((_filling?.Numbers ?? _numbers) is { } numbers)
        {
            return numbers.TryGetValue(name, out var number) ? number : -1;
        }
        if (_nameSlots is { } slots)
        {
            return slots.NumberOf(name);
        }
        // Names of one module are mostly the parser's interned strings: a match is usually the same object, and a
        // length compared here spares most mismatches a call (the taint analyses look names up ~900,000 times on 250 modules).
        var names = _numberedNames!;
        for (var i = 0; i < names.Length; i++)
        {
            var candidate = names[i];
            if (ReferenceEquals(candidate, name) || candidate.Length == name.Length && string.Equals(candidate, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    public bool IsGlobal(string name) => _declarations?.Globals is { } globals && globals.Contains(name);

    public bool IsNonlocal(string name) => _declarations?.Nonlocals is { } nonlocals && nonlocals.Contains(name);

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
    public bool DeclaresOuterNames => _declarations is { Globals: not null } or { Nonlocals: not null };

    internal void DeclareGlobal(string name) => ((_declarations ??= new()).Globals ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    internal void DeclareNonlocal(string name) => ((_declarations ??= new()).Nonlocals ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);

    internal void Add(Binding binding)
    {
        // The binder adds a binding to the scope it walks or to an enclosing one (global, nonlocal, a walrus in a
        // comprehension), and seals a scope only when it leaves it: so no scope is sealed while bindings can still come.
        if (_filling is not { } filling)
        {
            throw new InvalidOperationException($"binding '{binding.Name}' added to a sealed scope");
        }
        // One hash lookup for both the find and the insert.
        ref var number = ref CollectionsMarshal.GetValueRefOrAddDefault(filling.Numbers, binding.Name, out var exists);
        if (!exists)
        {
            number = filling.Bindings.Count;
            filling.Bindings.Add(binding); // the name's first binding: the list of itself
        }
        else if (filling.Bindings[number] is Binding first)
        {
            filling.Bindings[number] = new List<Binding>(2) { first, binding };
        }
        else
        {
            ((List<Binding>)filling.Bindings[number]).Add(binding);
        }
    }

    /// <summary>
    /// Called by the binder once it has walked the scope's code: the names move to an array in number order, with
    /// their slots when they are many (<see cref="NameSlots"/>; numbers and <see cref="Names"/> stay as they were), their bindings
    /// to an array by number, and the borrowed tables go back to the thread's spares.
    /// </summary>
    internal void Seal()
    {
        var filling = _filling!;
        if (filling.Numbers.Count <= MaxScanned)
        {
            _numberedNames = filling.Numbers.Count == 0 ? [] : [.. filling.Numbers.Keys];
        }
        else
        {
            string[] names = [.. filling.Numbers.Keys];
            _nameSlots = NameSlots.Of(names);
            if (_nameSlots is null)
            {
                _numbers = new Dictionary<string, int>(filling.Numbers, StringComparer.Ordinal);
            }
            else
            {
                _numberedNames = names;
            }
        }
        _bindingsByNumber = filling.Bindings.Count == 0 ? [] : [.. filling.Bindings];
        _filling = null;
        filling.Numbers.Clear();
        filling.Bindings.Clear();
        (_spareTables ??= new Stack<FillingTables>()).Push(filling);
    }

    /// <summary>The scope's <c>from m import *</c> modules and its <c>global</c> and <c>nonlocal</c> names.</summary>
    private sealed class Declarations
    {
        public List<string>? StarImports { get; set; }

        public HashSet<string>? Globals { get; set; }

        public HashSet<string>? Nonlocals { get; set; }
    }

    /// <summary>What the binder fills while it walks the scope: each name's number, and by number the name's bindings.</summary>
    private sealed class FillingTables
    {
        public Dictionary<string, int> Numbers { get; } = new(StringComparer.Ordinal);

        public List<IReadOnlyList<Binding>> Bindings { get; } = [];
    }
}
