using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// Checks that the object one name holds in a function body is used only in ways the per-object analysis follows:
/// reading or storing its attributes and calling its methods (each judged by the given callbacks), being bound by
/// <c>name = value</c> (judged too, when bindings are allowed) and, when allowed, being returned alone or as an element
/// of a returned tuple. Any other occurrence of the name is an escape: passed as an argument, stored somewhere, put
/// in a container, rebound otherwise, declared global, used in a comprehension or a nested function, class or
/// lambda. Also notes what else in the body matters for a method's receiver (yields, global declarations, nested
/// scopes).
/// </summary>
internal sealed class ObjectUseChecker : AstWalker
{
    private readonly string _name;
    private readonly Func<CallExpr, AttributeExpr, bool> _methodCall;
    private readonly Func<string, bool> _attribute;
    private readonly Func<Expr, bool>? _binding;
    private readonly Func<CallExpr, bool>? _superCall;
    private readonly bool _returnAllowed;
    private int _nested;

    /// <param name="name">The name that holds the object.</param>
    /// <param name="methodCall">Whether <c>name.m(...)</c> is a call the analysis follows.</param>
    /// <param name="attribute">Whether reading or storing <c>name.a</c> is a plain data attribute access.</param>
    /// <param name="binding">Whether <c>name = value</c> binds an object the analysis knows (null: no binding allowed).</param>
    /// <param name="superCall">Whether <c>super().m(...)</c> is a call the analysis follows (null: an ordinary call).</param>
    /// <param name="returnAllowed">Whether returning the object is not an escape.</param>
    public ObjectUseChecker(string name, Func<CallExpr, AttributeExpr, bool> methodCall, Func<string, bool> attribute, Func<Expr, bool>? binding,
        Func<CallExpr, bool>? superCall, bool returnAllowed)
    {
        _name = name;
        _methodCall = methodCall;
        _attribute = attribute;
        _binding = binding;
        _superCall = superCall;
        _returnAllowed = returnAllowed;
    }

    public bool Escapes { get; private set; }

    public bool HasYield { get; private set; }

    public bool DeclaresGlobals { get; private set; }

    /// <summary>A nested function, lambda or class (comprehensions do not count: they run inline).</summary>
    public bool HasNestedScope { get; private set; }

    /// <summary>Walks a body; stops early once the object escapes.</summary>
    public ObjectUseChecker Check(IReadOnlyList<Stmt> body)
    {
        foreach (var statement in body)
        {
            if (Escapes)
            {
                break;
            }
            Walk(statement);
        }
        return this;
    }

    public override void VisitNameExpr(NameExpr node) => Escapes |= node.Id == _name;

    public override void VisitAttributeExpr(AttributeExpr node)
    {
        if (_nested == 0 && node.Value is NameExpr owner && owner.Id == _name)
        {
            Escapes |= !_attribute(node.Attr);
            return;
        }
        base.VisitAttributeExpr(node);
    }

    public override void VisitCallExpr(CallExpr node)
    {
        if (_nested == 0 && node.Func is AttributeExpr method)
        {
            var followed = method.Value switch
            {
                NameExpr owner when owner.Id == _name => (bool?)_methodCall(node, method),
                CallExpr { Func: NameExpr { Id: "super" }, Args.Count: 0, Keywords.Count: 0 } when _superCall is not null => _superCall(node),
                _ => null,
            };
            if (followed is { } ok)
            {
                Escapes |= !ok;
                WalkList(node.Args);
                WalkList(node.Keywords);
                return;
            }
        }
        base.VisitCallExpr(node);
    }

    public override void VisitAssignStmt(AssignStmt node)
    {
        if (_nested == 0 && node.Targets.Count == 1 && node.Targets[0] is NameExpr target && target.Id == _name)
        {
            Escapes |= _binding is null || !_binding(node.Value);
            node.Value.Accept(this);
            return;
        }
        base.VisitAssignStmt(node);
    }

    public override void VisitAnnAssignStmt(AnnAssignStmt node)
    {
        if (_nested == 0 && node.Target is NameExpr target && target.Id == _name && node.Value is { } value)
        {
            Escapes |= _binding is null || !_binding(value);
            value.Accept(this);
            return;
        }
        base.VisitAnnAssignStmt(node);
    }

    public override void VisitReturnStmt(ReturnStmt node)
    {
        if (_nested == 0 && _returnAllowed)
        {
            switch (node.Value)
            {
                case NameExpr returned when returned.Id == _name:
                    return;
                case TupleExpr tuple:
                    foreach (var element in tuple.Elts)
                    {
                        if (element is not NameExpr { } item || item.Id != _name)
                        {
                            element.Accept(this);
                        }
                    }
                    return;
            }
        }
        base.VisitReturnStmt(node);
    }

    public override void VisitGlobalStmt(GlobalStmt node)
    {
        DeclaresGlobals = true;
        Escapes |= node.Names.Contains(_name);
    }

    public override void VisitNonlocalStmt(NonlocalStmt node)
    {
        DeclaresGlobals = true;
        Escapes |= node.Names.Contains(_name);
    }

    public override void VisitYieldExpr(YieldExpr node)
    {
        HasYield = true;
        base.VisitYieldExpr(node);
    }

    public override void VisitYieldFromExpr(YieldFromExpr node)
    {
        HasYield = true;
        base.VisitYieldFromExpr(node);
    }

    public override void VisitFunctionDefStmt(FunctionDefStmt node)
    {
        HasNestedScope = true;
        _nested++;
        base.VisitFunctionDefStmt(node);
        _nested--;
    }

    public override void VisitAsyncFunctionDefStmt(AsyncFunctionDefStmt node)
    {
        HasNestedScope = true;
        _nested++;
        base.VisitAsyncFunctionDefStmt(node);
        _nested--;
    }

    public override void VisitClassDefStmt(ClassDefStmt node)
    {
        HasNestedScope = true;
        _nested++;
        base.VisitClassDefStmt(node);
        _nested--;
    }

    public override void VisitLambdaExpr(LambdaExpr node)
    {
        HasNestedScope = true;
        _nested++;
        base.VisitLambdaExpr(node);
        _nested--;
    }

    // Comprehensions run on a copy of the analysis state, which is dropped afterwards: a use inside one is an escape.
    public override void VisitListCompExpr(ListCompExpr node)
    {
        _nested++;
        base.VisitListCompExpr(node);
        _nested--;
    }

    public override void VisitSetCompExpr(SetCompExpr node)
    {
        _nested++;
        base.VisitSetCompExpr(node);
        _nested--;
    }

    public override void VisitDictCompExpr(DictCompExpr node)
    {
        _nested++;
        base.VisitDictCompExpr(node);
        _nested--;
    }

    public override void VisitGeneratorExpr(GeneratorExpr node)
    {
        _nested++;
        base.VisitGeneratorExpr(node);
        _nested--;
    }
}
