using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// How a body uses one of its parameters: the attributes it reads on it (<c>request.session</c>), or null when it also
/// uses the parameter otherwise (passes it on, returns it, stores it, reads it by a computed name). An object source
/// passed for the parameter (a view's <c>request</c>) brings its data to the body only through its data attributes, so
/// a body that reads none of them gets nothing from it (<see cref="FunctionAnalyzer"/>, ApplySummary). Nested functions
/// and lambdas are walked too: a closure may use the parameter.
/// </summary>
internal sealed class ParameterAttributeUses : AstWalker
{
    private readonly string _name;
    private readonly HashSet<string> _attributes = new(StringComparer.Ordinal);
    private bool _usedOtherwise;

    private ParameterAttributeUses(string name) => _name = name;

    public static IReadOnlySet<string>? Of(TaintUnit unit, string parameter)
    {
        var uses = new ParameterAttributeUses(parameter);
        if (unit.LambdaBody is { } body)
        {
            uses.Walk(body);
        }
        else
        {
            foreach (var statement in unit.Body)
            {
                uses.Walk(statement);
            }
        }
        return uses._usedOtherwise ? null : uses._attributes;
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (node.Value is NameExpr name && name.Id == _name)
        {
            if (node.Ctx == ExprContext.Load)
            {
                _attributes.Add(node.Attr);
            }
            else
            {
                _usedOtherwise = true; // `request.x = ...`: the object is changed, not only read
            }
            return;
        }
        base.VisitAttributeExpr(node);
    }

    public override void VisitNameExpr(NameExpr node) => _usedOtherwise |= node.Id == _name;
}
