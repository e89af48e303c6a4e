using System.Collections;

namespace PickleGuard.Python;

/// <summary>Base of CPython's <c>ast.expr</c> nodes. An expression is also the list of just itself, which the parser
/// stores for a list of one expression (<see cref="OneItemList"/>). So an expression is enumerable: code that compares or
/// serializes enumerables item by item (xunit's <c>Assert.Equal</c>, a JSON serializer) never ends on one.</summary>
public abstract class Expr : Node, IReadOnlyList<Expr>
{
    protected Expr(TextSpan span) : base(span)
    {
    }

    int IReadOnlyCollection<Expr>.Count => 1;

    Expr IReadOnlyList<Expr>.this[int index] => OneItemList.At(this, index);

    IEnumerator<Expr> IEnumerable<Expr>.GetEnumerator() => OneItemList.Enumerate(this);

    IEnumerator IEnumerable.GetEnumerator() => OneItemList.Enumerate(this);
}
