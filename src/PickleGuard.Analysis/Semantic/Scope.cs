using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A Python scope with its bindings, in source order, and its global/nonlocal declarations.</summary>
public sealed class Scope
{
    private readonly Dictionary<string, List<Binding>> _bindings = new(StringComparer.Ordinal);
    private readonly HashSet<string> _globals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nonlocals = new(StringComparer.Ordinal);

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

    public IReadOnlyList<Binding> BindingsOf(string name) => _bindings.TryGetValue(name, out var list) ? list : [];

    public bool IsGlobal(string name) => _globals.Contains(name);

    public bool IsNonlocal(string name) => _nonlocals.Contains(name);

    internal void DeclareGlobal(string name) => _globals.Add(name);

    internal void DeclareNonlocal(string name) => _nonlocals.Add(name);

    internal void Add(Binding binding)
    {
        if (!_bindings.TryGetValue(binding.Name, out var list))
        {
            _bindings[binding.Name] = list = [];
        }
        list.Add(binding);
    }
}
