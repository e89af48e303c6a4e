using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// One place where a name is bound. <see cref="Scope"/> is the scope that owns the name (the module for a
/// <c>global</c> name); <see cref="ExecutingScope"/> is where the binding statement runs (its value is evaluated
/// there). <see cref="Offset"/> is where the binding takes effect (the end of its statement). What only some kinds
/// have (an import's name, a parameter's default, a def's function) is held by subclasses: most bindings are
/// assignments and targets, which would otherwise carry those fields empty. So is an executing scope other than
/// <see cref="Scope"/> (a <c>global</c> or <c>nonlocal</c> name), rare outside definitions.
/// A binding is also the list of just itself: a scope holds a name bound once (most names) as its binding alone and
/// hands it out from <see cref="Scope.BindingsOf"/> as the name's bindings, without a list object for each name.
/// </summary>
public class Binding : IdentityKeyed, IReadOnlyList<Binding>
{
    internal Binding(string name, BindingKind kind, Scope scope, Node node, Expr? value, int offset, BlockPath blocks)
    {
        Name = name;
        Kind = kind;
        Scope = scope;
        Node = node;
        Value = value;
        Offset = offset;
        Blocks = blocks;
    }

    public string Name { get; }

    public BindingKind Kind { get; }

    public Scope Scope { get; }

    public virtual Scope ExecutingScope => Scope;

    /// <summary>The binding statement, alias, parameter, def or target node.</summary>
    public Node Node { get; }

    /// <summary>The bound expression: assigned value, <c>with</c> context expression, <c>for</c> iterable.</summary>
    public Expr? Value { get; }

    /// <summary>An augmented assignment (<c>x += v</c>): <see cref="Value"/> is added to what the name held, which still reaches.</summary>
    public bool Augments { get; init; }

    public int Offset { get; }

    public BlockPath Blocks { get; }

    /// <summary>For imports: the absolute qualified name bound (<c>pickle</c>, <c>app.codecs.real.decode</c>).</summary>
    public virtual string? ImportedName => null;

    /// <summary>For a parameter with a default: that expression, evaluated where the function is defined.</summary>
    public virtual Expr? Default => null;

    /// <summary>
    /// For a parameter whose default names something (<c>def pickle_loads(s, load=pickle.load)</c>): that expression,
    /// what the parameter holds whenever a caller leaves it out (kombu's pickle decoder). A literal default says nothing
    /// of the callers.
    /// </summary>
    public Expr? DefaultReference => Default is NameExpr or AttributeExpr ? Default : null;

    /// <summary>For a method's first parameter: the class it is bound to.</summary>
    public virtual ClassInfo? SelfOf => null;

    /// <summary>For a classmethod's first parameter.</summary>
    public virtual bool SelfIsClass => false;

    public virtual FunctionInfo? Function => null;

    public virtual ClassInfo? Class => null;

    /// <summary>
    /// For a name or attribute unpacked from a value that is not a display (<c>sock, port = make()</c>): its position
    /// in the target, when the target is a flat tuple or list without a starred element; else -1.
    /// </summary>
    public virtual int Element => -1;

    int IReadOnlyCollection<Binding>.Count => 1;

    Binding IReadOnlyList<Binding>.this[int index] => index == 0 ? this : throw new ArgumentOutOfRangeException(nameof(index));

    IEnumerator<Binding> IEnumerable<Binding>.GetEnumerator()
    {
        yield return this;
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<Binding>)this).GetEnumerator();
}

/// <summary>A target unpacked at a known position (<see cref="Binding.Element"/>).</summary>
internal sealed class ElementBinding(string name, BindingKind kind, Scope scope, Node node, Expr? value, int offset, BlockPath blocks, int element)
    : Binding(name, kind, scope, node, value, offset, blocks)
{
    public override int Element => element;
}

/// <summary>A parameter with a default or bound to a class (a method's first).</summary>
internal sealed class ParameterBinding(string name, Scope scope, Arg node, int offset, BlockPath blocks, Expr? defaultValue, ClassInfo? selfOf, bool selfIsClass)
    : Binding(name, BindingKind.Parameter, scope, node, null, offset, blocks)
{
    public override Expr? Default => defaultValue;

    public override ClassInfo? SelfOf => selfOf;

    public override bool SelfIsClass => selfIsClass;
}

/// <summary>
/// An import's name, or a def's or class statement's name: one field holds what it defines, the imported name, the
/// function or the class (a binding is one of the three), instead of a field for each.
/// </summary>
internal class DefinitionBinding(string name, BindingKind kind, Scope scope, Node node, Expr? value, int offset, BlockPath blocks, object definition)
    : Binding(name, kind, scope, node, value, offset, blocks)
{
    public override string? ImportedName => definition as string;

    public override FunctionInfo? Function => definition as FunctionInfo;

    public override ClassInfo? Class => definition as ClassInfo;
}

/// <summary>A definition of a <c>global</c> or <c>nonlocal</c> name, made in a scope other than the one owning it.</summary>
internal sealed class OuterDefinitionBinding(string name, BindingKind kind, Scope scope, Scope executingScope, Node node, Expr? value, int offset,
    BlockPath blocks, object definition)
    : DefinitionBinding(name, kind, scope, node, value, offset, blocks, definition)
{
    public override Scope ExecutingScope => executingScope;
}

/// <summary>A binding of a <c>global</c> or <c>nonlocal</c> name, made in a scope other than the one owning it.</summary>
internal sealed class OuterScopeBinding(string name, BindingKind kind, Scope scope, Scope executingScope, Node node, Expr? value, int offset, BlockPath blocks)
    : Binding(name, kind, scope, node, value, offset, blocks)
{
    public override Scope ExecutingScope => executingScope;
}
