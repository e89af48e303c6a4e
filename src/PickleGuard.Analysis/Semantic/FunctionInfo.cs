using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A function, method or lambda in the project, with its scope and what it returns.</summary>
public sealed class FunctionInfo : IdentityKeyed
{
    internal FunctionInfo(Node node, string name, Scope scope, ClassInfo? owner)
    {
        Node = node;
        Name = name;
        Scope = scope;
        Owner = owner;
    }

    public Node Node { get; }

    public string Name { get; }

    public Scope Scope { get; }

    /// <summary>The class whose body defines this function directly (a method), else null.</summary>
    public ClassInfo? Owner { get; }

    /// <summary>What its code reads and writes of object attributes and files (see <see cref="CodeFootprint"/>).</summary>
    internal CodeFootprint Footprint { get; } = new();

    /// <summary>The returned expressions (a lambda's body; null for a bare <c>return</c>) with their blocks.</summary>
    public List<(Expr? Value, BlockPath Blocks)> Returns { get; } = [];
}
