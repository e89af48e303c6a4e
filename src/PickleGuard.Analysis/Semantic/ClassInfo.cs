using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>A class defined in the project: its body scope, where its bases are evaluated, and <c>self.x = v</c> stores.</summary>
public sealed class ClassInfo : IdentityKeyed
{
    internal ClassInfo(ClassDefStmt node, Scope definingScope, BlockPath blocks)
    {
        Node = node;
        DefiningScope = definingScope;
        Blocks = blocks;
    }

    public ClassDefStmt Node { get; }

    public string Name => Node.Name;

    /// <summary>The scope the class statement runs in (its bases and decorators are evaluated there).</summary>
    public Scope DefiningScope { get; }

    public BlockPath Blocks { get; }

    /// <summary>The class body's scope; set right after construction by the binder.</summary>
    public Scope BodyScope { get; internal set; } = null!;

    /// <summary><c>self.attr = value</c> in this class's methods, per attribute.</summary>
    public Dictionary<string, List<Binding>> InstanceAttributes { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The targets of <c>self.attr = v</c> stores in <c>__init__</c> that a later store there overwrites before any
    /// other method can see the object (<see cref="InitOverwrites"/>); computed on first use, once binding is done (two
    /// threads racing compute the same set).
    /// </summary>
    public IReadOnlySet<AttributeExpr> OverwrittenInInit => _overwrittenInInit ??= InitOverwrites.Of(this);

    private IReadOnlySet<AttributeExpr>? _overwrittenInInit;

    /// <summary>
    /// For a dataclass-like class, the fields its generated <c>__init__</c> stores, in order (<see cref="RecordClasses"/>);
    /// else empty. Computed on first use (two threads racing compute the same list).
    /// </summary>
    public IReadOnlyList<string> RecordFields => _recordFields ??= RecordClasses.FieldsOf(this);

    private IReadOnlyList<string>? _recordFields;

    /// <summary>
    /// The annotation of each field the body declares with one (<c>serializer: Serializer</c>, with or without a value),
    /// the first declaration of a name; computed on first use (two threads racing compute the same table).
    /// </summary>
    public IReadOnlyDictionary<string, AnnAssignStmt> DeclaredFields => _declaredFields ??= FindDeclaredFields(Node);

    private IReadOnlyDictionary<string, AnnAssignStmt>? _declaredFields;

    private static readonly Dictionary<string, AnnAssignStmt> NoFields = new(StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, AnnAssignStmt> FindDeclaredFields(ClassDefStmt node)
    {
        Dictionary<string, AnnAssignStmt>? fields = null;
        foreach (var statement in node.Body)
        {
            if (statement is AnnAssignStmt { Target: NameExpr target } declared)
            {
                (fields ??= new(StringComparer.Ordinal)).TryAdd(target.Id, declared);
            }
        }
        return fields ?? NoFields;
    }
}
