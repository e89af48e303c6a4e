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

    /// <summary>The decorators of a <c>def</c> (none for a lambda).</summary>
    public IReadOnlyList<Expr> Decorators => Node switch
    {
        FunctionDefStmt def => def.DecoratorList,
        AsyncFunctionDefStmt def => def.DecoratorList,
        _ => [],
    };

    /// <summary>The parameters of a <c>def</c> or a lambda.</summary>
    public Arguments? Arguments => Node switch
    {
        FunctionDefStmt def => def.Args,
        AsyncFunctionDefStmt def => def.Args,
        LambdaExpr lambda => lambda.Args,
        _ => null,
    };

    /// <summary>The return annotation of a <c>def</c> (<c>-> Base</c>), if any.</summary>
    public Expr? ReturnAnnotation => Node switch
    {
        FunctionDefStmt def => def.Returns,
        AsyncFunctionDefStmt def => def.Returns,
        _ => null,
    };

    /// <summary>The statements of a <c>def</c> (none for a lambda, whose body is an expression).</summary>
    public IReadOnlyList<Stmt> Body => Node switch
    {
        FunctionDefStmt def => def.Body,
        AsyncFunctionDefStmt def => def.Body,
        _ => [],
    };

    /// <summary>What its code reads and writes of object attributes and files (see <see cref="CodeFootprint"/>).</summary>
    internal CodeFootprint Footprint { get; } = new();

    /// <summary>The returned expressions (a lambda's body; null for a bare <c>return</c>) with their blocks.</summary>
    /// <remarks>An array of the exact number, set once the binder has walked the function (never written after).</remarks>
    public (Expr? Value, BlockPath Blocks)[] Returns { get; internal set; } = [];

    /// <summary>
    /// A method left to subclasses: decorated <c>@abstractmethod</c>, or whose body (after a docstring) only passes,
    /// holds <c>...</c> or raises <c>NotImplementedError</c>.
    /// </summary>
    public bool IsAbstract
    {
        get
        {
            // Asked for every call of a method: worked out once (0 unknown, 1 no, 2 yes; a race computes the same).
            if (_isAbstract == 0)
            {
                _isAbstract = Owner is not null && Node is not LambdaExpr && IsAbstractBody(Body, Decorators) ? 2 : 1;
            }
            return _isAbstract == 2;
        }
    }

    private int _isAbstract;

    /// <summary>A method read as an attribute: decorated <c>@property</c> or <c>@cached_property</c> (<c>functools</c>, Django's).</summary>
    public bool IsProperty => Owner is not null && Decorators.Any(IsPropertyDecorator);

    private static bool IsPropertyDecorator(Expr decorator) =>
        decorator is NameExpr { Id: "property" or "cached_property" } or AttributeExpr { Attr: "cached_property" };

    /// <summary>
    /// For a property's setter or deleter (<c>@blob.setter def blob(self, value)</c>), the property it is added to (the
    /// name <c>blob</c>, bound before it to the getter), else null. Such a def binds the name in the class body again, to
    /// the same property: reading it on an instance still runs the getter.
    /// </summary>
    public Expr? AccessedProperty
    {
        get
        {
            if (Owner is null)
            {
                return null;
            }
            foreach (var decorator in Decorators)
            {
                if (decorator is AttributeExpr { Attr: "setter" or "deleter", Value: NameExpr { Id: var property } named } && property == Name)
                {
                    return named;
                }
            }
            return null;
        }
    }

    private static bool IsAbstractBody(IReadOnlyList<Stmt> body, IReadOnlyList<Expr> decorators) =>
        decorators.Any(d => d is NameExpr { Id: "abstractmethod" } or AttributeExpr { Attr: "abstractmethod" })
        || body.All(statement => statement is PassStmt or ExprStmt { Value: ConstantExpr }
            or RaiseStmt { Exc: NameExpr { Id: "NotImplementedError" } or CallExpr { Func: NameExpr { Id: "NotImplementedError" } } });
}
