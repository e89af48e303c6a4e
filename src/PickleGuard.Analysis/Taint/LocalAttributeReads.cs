using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The attribute names a body reads on plain names (<c>incoming.payload</c>), not descending into the functions and
/// classes it defines (units of their own): which of the properties of a class it makes it may read
/// (<see cref="ProjectIndex"/>, Properties). Walked only for the bodies that construct a class with properties.
/// </summary>
internal sealed class LocalAttributeReads : AstWalker
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public static HashSet<string> Of(TaintUnit unit)
    {
        var reads = new LocalAttributeReads();
        if (unit.LambdaBody is { } body)
        {
            reads.Walk(body);
        }
        else
        {
            foreach (var statement in unit.Body)
            {
                reads.Walk(statement);
            }
        }
        return reads._names;
    }

    public override void VisitFunctionDefStmt(FunctionDefStmt node)
    {
    }

    public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node)
    {
    }

    public override void VisitClassDefStmt(ClassDefStmt node)
    {
    }

    public override void VisitLambdaExpr(LambdaExpr node)
    {
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (node.Ctx == ExprContext.Load && node.Value is NameExpr)
        {
            _names.Add(node.Attr);
        }
        base.VisitAttributeExpr(node);
    }
}
