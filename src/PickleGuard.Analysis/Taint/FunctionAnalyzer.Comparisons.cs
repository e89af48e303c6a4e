using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    private DecodingCallFinder? _decodingCalls;

    /// <summary>Whether the unit calls a sink or a project function that passes a parameter to one (found on the first comparison).</summary>
    private bool? _mayDecode;

    /// <summary>
    /// A comparison yields a boolean: its operands matter only for a call in them that may decode — a sink
    /// (<c>if pickle.loads(body) == expected:</c>, <c>assert torch.load(buf).argmax() == n</c>) or a project function
    /// passing a parameter to one — and then they are evaluated. Evaluating the calls of every comparison cost 3 % of
    /// a stdlib scan and found nothing more; only the units that make such calls look.
    /// </summary>
    private TaintValue EvalComparison(CompareExpr compare)
    {
        _mayDecode ??= _unit.CallsSinks || _unit.Callees.Any(callee => callee.Summary.PassesToSinks);
        if (_mayDecode.Value && (_decodingCalls ??= new DecodingCallFinder(this)).AnyIn(compare))
        {
            Eval(compare.Left);
            foreach (var comparator in compare.Comparators)
            {
                Eval(comparator);
            }
        }
        return TaintValue.Clean;
    }

    private bool MayDecode(CallExpr call)
    {
        if (_program.Index.CallOf(_module, call) is not { } info)
        {
            return false;
        }
        if (!info.Sinks.IsEmpty)
        {
            return true;
        }
        foreach (var (unit, _) in info.Functions)
        {
            if (unit.Summary.PassesToSinks)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Finds a call that may decode in an expression (not in a lambda: its body runs another time).</summary>
    private sealed class DecodingCallFinder(FunctionAnalyzer analyzer) : AstWalker
    {
        private bool _found;

        public bool AnyIn(Expr expr)
        {
            _found = false;
            Walk(expr);
            return _found;
        }

        public override void VisitCallExpr(CallExpr node)
        {
            _found |= analyzer.MayDecode(node);
            if (!_found)
            {
                base.VisitCallExpr(node);
            }
        }

        public override void VisitLambdaExpr(LambdaExpr node)
        {
        }
    }
}
