using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The calls a function makes of one of its parameters (<c>def _load_data(path, parser): return parser(fd.read(), path)</c>)
/// when they are all its uses of that name, nested functions and lambdas included: a function handed as that parameter
/// is called with those arguments and no others. Null when the name is used any other way (handed on, stored,
/// returned, rebound, <c>parser.__call__</c>), or never called.
/// </summary>
internal sealed class HelperParameterCalls : AstWalker
{
    private readonly string _name;
    private readonly List<CallExpr> _calls = [];
    private int _uses;

    private HelperParameterCalls(string name) => _name = name;

    public static List<CallExpr>? Of(IReadOnlyList<Stmt> body, string parameter)
    {
        var finder = new HelperParameterCalls(parameter);
        foreach (var statement in body)
        {
            finder.Walk(statement);
        }
        return finder._calls.Count > 0 && finder._uses == finder._calls.Count ? finder._calls : null;
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (node.Func is NameExpr called && called.Id == _name)
        {
            _calls.Add(node);
        }
        base.VisitCallExpr(node);
    }

    public override void VisitNameExpr(NameExpr node)
    {
        if (node.Id == _name)
        {
            _uses++; // loads, stores and deletions alike: only a call's callee is matched by one
        }
    }
}
