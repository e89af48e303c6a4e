using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// The keys a function's own <c>**kwargs</c> can hold, when the project shows every call of it: the keywords those calls
/// pass by name (RVC's <c>create_separator(inference_params=params)</c> fills <c>separator_kwargs</c> with
/// <c>inference_params</c> alone). Forwarded on (<c>Separator(model_path=..., **separator_kwargs)</c>), the dict then
/// binds only the callee's parameters of those names (<see cref="FunctionAnalyzer"/>, MapArguments). Null — any key —
/// unless the function is a plain module function (no decorator, no method: a receiver's calls are not all resolved),
/// its body only reads the dict by constant key or forwards it whole (<see cref="KwargsOnlyRead"/>: no key added), the
/// project never uses its name but to call it (<see cref="FactoryReferenceFinder"/>), and every call of that name
/// resolves, passes no <c>**</c> dict, and some call of it exists.
/// </summary>
internal static class CallerKeywords
{
    public static IReadOnlySet<string>? Of(ProjectIndex index, TaintUnit unit)
    {
        if (unit.KwargIndex < 0 || unit.Function is not { Owner: null, Node: FunctionDefStmt { DecoratorList.Count: 0 } } || !KwargsOnlyRead.Check(unit))
        {
            return null;
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var calls = 0;
        foreach (var module in index.Modules)
        {
            // The module's index of calls by callee name: walking every call of the project per function was most of
            // a stdlib scan's fixpoint (2.5 s instead of 0.6 s).
            foreach (var site in module.CallsNamed(unit.Name))
            {
                if (index.CallOf(module, site.Call) is not { } info || info.Functions.IsEmpty)
                {
                    return null; // maybe this function, through a receiver or an alias the index did not resolve
                }
                if (!Calls(info, unit))
                {
                    continue;
                }
                foreach (var keyword in site.Call.Keywords)
                {
                    if (keyword.Arg is not { } name)
                    {
                        return null;
                    }
                    keys.Add(name);
                }
                calls++;
            }
        }
        return calls == 0 || FactoryReferenceFinder.UsedAsValue(index, unit) ? null : keys;
    }

    private static bool Calls(CallInfo info, TaintUnit unit)
    {
        foreach (var (callee, _) in info.Functions)
        {
            if (callee == unit)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether a function's body uses its own <c>**kwargs</c> only by reading constant keys (<c>kwargs.get("k")</c>,
    /// <c>kwargs.pop("k")</c>, <c>kwargs["k"]</c>, <c>"k" in kwargs</c>) or by forwarding it whole (<c>f(**kwargs)</c>):
    /// no key is added (<c>kwargs["k"] = v</c>, <c>setdefault</c>, <c>update</c>), and it is not handed to code that could.
    /// </summary>
    private sealed class KwargsOnlyRead : OwnBodyWalker
    {
        private static readonly HashSet<string> Readers = new(StringComparer.Ordinal) { "get", "pop" };

        private readonly string _kwargs;
        private bool _otherwise;

        private KwargsOnlyRead(string kwargs) => _kwargs = kwargs;

        public static bool Check(TaintUnit unit)
        {
            var name = unit.Parameters[unit.KwargIndex].ArgValue;
            if (unit.Scope.BindingsOf(name).Count != 1)
            {
                return false;
            }
            var walker = new KwargsOnlyRead(name);
            unit.Walk(walker);
            return !walker._otherwise;
        }

        public override void VisitCallExpr(CallExpr node)
        {
            if (node.Func is AttributeExpr { Value: NameExpr owner } method && owner.Id == _kwargs)
            {
                _otherwise |= !Readers.Contains(method.Attr) || node.Args is not [ConstantExpr { Value.Type: ConstantType.Str }, ..];
                WalkRest(node.Args, from: 1, node.Keywords);
                return;
            }
            foreach (var argument in node.Args)
            {
                Walk(argument);
            }
            foreach (var keyword in node.Keywords)
            {
                if (keyword.Arg is not null || keyword.Value is not NameExpr forwarded || forwarded.Id != _kwargs)
                {
                    Walk(keyword.Value);
                }
            }
            Walk(node.Func);
        }

        public override void VisitSubscriptExpr(SubscriptExpr node)
        {
            if (node.Value is NameExpr owner && owner.Id == _kwargs)
            {
                _otherwise |= node.Ctx != ExprContext.Load || node.Slice is not ConstantExpr { Value.Type: ConstantType.Str };
                return;
            }
            base.VisitSubscriptExpr(node);
        }

        public override void VisitCompareExpr(CompareExpr node)
        {
            if (node is { Comparators: [NameExpr owner], Ops: [CompareOperator.In or CompareOperator.NotIn] } && owner.Id == _kwargs)
            {
                Walk(node.Left);
                return;
            }
            base.VisitCompareExpr(node);
        }

        public override void VisitNameExpr(NameExpr node) => _otherwise |= node.Id == _kwargs;

        // A nested function or lambda may use the dict where this walk does not look.
        protected override bool Enters(Node scope)
        {
            _otherwise = true;
            return false;
        }

        private void WalkRest(IReadOnlyList<Expr> arguments, int from, IReadOnlyList<Keyword> keywords)
        {
            for (var i = from; i < arguments.Count; i++)
            {
                Walk(arguments[i]);
            }
            foreach (var keyword in keywords)
            {
                Walk(keyword.Value);
            }
        }
    }
}
