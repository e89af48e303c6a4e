using System.Collections;

namespace PickleGuard.Python;

/// <summary>Base of CPython's <c>ast.stmt</c> nodes. A statement is also the list of just itself, which the parser
/// stores for a block of one statement (<see cref="OneItemList"/>); enumerable, as <see cref="Expr"/> is.</summary>
public abstract class Stmt : Node, IReadOnlyList<Stmt>
{
    protected Stmt(TextSpan span) : base(span)
    {
    }

    int IReadOnlyCollection<Stmt>.Count => 1;

    Stmt IReadOnlyList<Stmt>.this[int index] => OneItemList.At(this, index);

    IEnumerator<Stmt> IEnumerable<Stmt>.GetEnumerator() => OneItemList.Enumerate(this);

    IEnumerator IEnumerable.GetEnumerator() => OneItemList.Enumerate(this);
}
