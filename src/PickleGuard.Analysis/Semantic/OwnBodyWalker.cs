using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// A walker over one body's own code: the functions, lambdas and classes it defines are entered only when
/// <see cref="Enters"/> says so (they are scopes of their own, with code that runs another time).
/// </summary>
internal abstract class OwnBodyWalker : AstWalker
{
    /// <summary>Whether to walk into <paramref name="scope"/>, a function, lambda or class met in the body.</summary>
    protected abstract bool Enters(Node scope);

    public override void VisitFunctionDefStmt(FunctionDefStmt node)
    {
        if (Enters(node))
        {
            base.VisitFunctionDefStmt(node);
        }
    }

    public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node)
    {
        if (Enters(node))
        {
            base.VisitAsyncFunctionDefStmt(node);
        }
    }

    public override void VisitClassDefStmt(ClassDefStmt node)
    {
        if (Enters(node))
        {
            base.VisitClassDefStmt(node);
        }
    }

    public override void VisitLambdaExpr(LambdaExpr node)
    {
        if (Enters(node))
        {
            base.VisitLambdaExpr(node);
        }
    }
}
