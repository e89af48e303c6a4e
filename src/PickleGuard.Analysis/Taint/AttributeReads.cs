using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The attributes a body reads on plain names: on any name, for which properties of a class it makes it may read
/// (<see cref="ProjectIndex"/>, Properties); or on one parameter, for what an object source passed for it brings
/// (<see cref="FunctionAnalyzer"/>, ApplySummary: a view's <c>request</c> brings its data only through its data
/// attributes).
/// </summary>
internal sealed class AttributeReads : OwnBodyWalker
{
    /// <summary>The one name looked at, or null for every name.</summary>
    private readonly string? _owner;

    /// <summary>Whether the functions, lambdas and classes the body defines are walked too (a closure may use a parameter).</summary>
    private readonly bool _nested;

    private readonly HashSet<string> _attributes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _called = new(StringComparer.Ordinal);
    private readonly List<(CallExpr Call, int Argument)> _handedTo = [];
    private bool _usedOtherwise;

    private AttributeReads(string? owner, bool nested)
    {
        _owner = owner;
        _nested = nested;
    }

    /// <summary>The attribute names the body itself (not a function or class it defines) reads on plain names (<c>incoming.payload</c>).</summary>
    public static HashSet<string> OnNames(TaintUnit unit)
    {
        var reads = new AttributeReads(null, nested: false);
        unit.Walk(reads);
        return reads._attributes;
    }

    /// <summary>
    /// The attributes the body (closures included) reads on <paramref name="parameter"/>, those of them it calls
    /// (<c>record.to_dict()</c>: a method, which may read every attribute) and the calls it hands the parameter to as a
    /// plain argument or a <c>**</c> (its position among the positionals, then the keywords), or null when it also
    /// uses the parameter otherwise: returns it, stores it or into it, reads it by a computed name.
    /// </summary>
    public static (IReadOnlySet<string> Attributes, IReadOnlySet<string> Called, IReadOnlyList<(CallExpr Call, int Argument)> HandedTo)? OnParameter(TaintUnit unit, string parameter)
    {
        var reads = new AttributeReads(parameter, nested: true);
        unit.Walk(reads);
        return reads._usedOtherwise ? null : (reads._attributes, reads._called, reads._handedTo);
    }

    /// <summary>The same for a function before the taint engine has units (step 2).</summary>
    public static (IReadOnlySet<string> Attributes, IReadOnlyList<(CallExpr Call, int Argument)> HandedTo)? OnParameter(FunctionInfo function, string parameter)
    {
        var reads = new AttributeReads(parameter, nested: true);
        if (function.Node is LambdaExpr lambda)
        {
            reads.Walk(lambda.Body);
        }
        foreach (var statement in function.Body)
        {
            reads.Walk(statement);
        }
        return reads._usedOtherwise ? null : (reads._attributes, reads._handedTo);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (_owner is null)
        {
            base.VisitCallExpr(node);
            return;
        }
        if (node.Func is AttributeExpr { Value: NameExpr owner } method && owner.Id == _owner)
        {
            _called.Add(method.Attr);
        }
        Walk(node.Func);
        for (var i = 0; i < node.Args.Count + node.Keywords.Count; i++)
        {
            var argument = i < node.Args.Count ? node.Args[i] : node.Keywords[i - node.Args.Count].Value;
            if (argument is NameExpr name && name.Id == _owner)
            {
                _handedTo.Add((node, i));
            }
            else
            {
                Walk(argument);
            }
        }
    }

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (node.Value is NameExpr name && (_owner is null || name.Id == _owner))
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

    public override void VisitNameExpr(NameExpr node) => _usedOtherwise |= node.Id == _owner;

    protected override bool Enters(Node scope) => _nested;
}
