using PickleGuard.Models;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

internal sealed partial class FunctionAnalyzer
{
    /// <summary>
    /// Marks data as verified in the branch where a guard holds: a modelled check such as
    /// <c>hmac.compare_digest(sig, hmac.new(key, payload, ...).digest())</c> verifies every variable in its arguments;
    /// <c>data == b"..."</c> (or <c>in</c> a literal collection) pins the variable to a constant.
    /// <c>not</c> swaps the branches, <c>and</c> verifies in the true branch, <c>or</c> in the false branch.
    /// </summary>
    private void ApplyGuard(Expr test, TaintState whenTrue, TaintState whenFalse)
    {
        switch (test)
        {
            case UnaryOpExpr { Op: UnaryOperator.Not } not:
                ApplyGuard(not.Operand, whenFalse, whenTrue);
                break;
            case BoolOpExpr { Op: BoolOperator.And } and:
                foreach (var value in and.Values)
                {
                    ApplyGuard(value, whenTrue, new TaintState());
                }
                break;
            case BoolOpExpr { Op: BoolOperator.Or } or:
                foreach (var value in or.Values)
                {
                    ApplyGuard(value, new TaintState(), whenFalse);
                }
                break;
            case CallExpr call when _program.Index.CallOf(_module, call)?.Guard is { } guard:
                string? reason = null;
                foreach (var name in NamesIn(call.Args.Concat(call.Keywords.Select(k => k.Value))))
                {
                    if (HoldsTaint(whenTrue, name))
                    {
                        Verify(whenTrue, name, reason ??= $"it was verified by `{Text(call.Func)}` (line {Line(call)}): {guard.Reason}");
                    }
                }
                break;
            case CompareExpr { Ops: [var op] } compare when op is not (CompareOperator.Lt or CompareOperator.LtE or CompareOperator.Gt or CompareOperator.GtE):
                // `==`, `is`, `in` pin the variable where they hold; `!=`, `is not`, `not in` where they fail
                // (`if name not in ALLOWED: abort(404)` guards what follows).
                var holds = op is CompareOperator.Eq or CompareOperator.Is or CompareOperator.In;
                PinToConstant(compare, op is CompareOperator.In or CompareOperator.NotIn, holds ? whenTrue : whenFalse);
                break;
        }
    }

    /// <summary>Marks the compared variable as program data in <paramref name="pinned"/> when the other side is a constant.</summary>
    private void PinToConstant(CompareExpr compare, bool collection, TaintState pinned)
    {
        var (variable, other) = compare.Left is NameExpr ? (compare.Left as NameExpr, compare.Comparators[0]) : (compare.Comparators[0] as NameExpr, compare.Left);
        if (variable is not null && (IsConstant(other, collection) || collection && NamesConstantCollection(other)) && HoldsTaint(pinned, variable.Id))
        {
            Verify(pinned, variable.Id, $"it was compared with a constant (line {Line(compare)}), so it holds program data there");
        }
    }

    private static bool IsConstant(Expr expr, bool collection) => collection
        ? expr switch
        {
            TupleExpr t => t.Elts.All(e => e is ConstantExpr),
            ListExpr l => l.Elts.All(e => e is ConstantExpr),
            SetExpr s => s.Elts.All(e => e is ConstantExpr),
            DictExpr d => d.Keys.All(k => k is ConstantExpr), // `in` tests the keys
            CallExpr { Func: NameExpr { Id: "frozenset" or "set" or "tuple" }, Args: [var items], Keywords.Count: 0 } => IsConstant(items, true),
            _ => false,
        }
        : expr is ConstantExpr { Value.Type: not ConstantType.None };

    /// <summary>
    /// An allow-list by name (<c>if name not in ALLOWED: abort()</c>): a name of this function or of the module bound
    /// exactly once, to a literal collection of constants, and never changed in place in the module (no
    /// <c>ALLOWED.add(x)</c>, no <c>ALLOWED[k] = v</c>, in any scope).
    /// </summary>
    private bool NamesConstantCollection(Expr expr) => ConstantCollectionOf(expr) is not null;

    /// <summary>The literal collection a name is bound to once (see <see cref="NamesConstantCollection"/>), else null.</summary>
    private Expr? ConstantCollectionOf(Expr expr) =>
        expr is NameExpr name && ValueBoundOnce(name) is { } value && IsConstant(value, collection: true) && !_module.MutatedNames.Contains(name.Id)
            ? value
            : null;

    /// <summary>
    /// The value a name of this function, or else of the module, is bound to by its only binding, a plain assignment
    /// (<c>ALLOWED = {...}</c>, <c>MODEL = "m.pt"</c>); null for a global or nonlocal declaration or any other binding.
    /// </summary>
    private Expr? ValueBoundOnce(NameExpr name)
    {
        if (_unit.Scope.IsGlobal(name.Id) || _unit.Scope.IsNonlocal(name.Id))
        {
            return null;
        }
        var scope = _unit.Scope.Binds(name.Id) ? _unit.Scope : _module.ModuleScope;
        return scope.BindingsOf(name.Id) is [{ Kind: Semantic.BindingKind.Assignment, Value: { } value }] ? value : null;
    }

    /// <summary>
    /// Whether verifying <paramref name="name"/> would mark anything: the reason (its line number, its text) is built
    /// only then, since most compared variables hold nothing and guards run on every analysis.
    /// </summary>
    private static bool HoldsTaint(TaintState state, string name) =>
        state.TryGet(name, out var value) && (!value.Whole.IsClean || value.Parts is not null);

    private static void Verify(TaintState state, string name, string reason)
    {
        if (state.TryGet(name, out var value))
        {
            TaintValue Mark(TaintValue taint) => taint.Select(o => o with { Verified = o.Verified ?? reason });
            var parts = value.Parts?.ToDictionary(p => p.Key, p => Mark(p.Value), StringComparer.Ordinal);
            state.Set(name, new VarTaint(Mark(value.Whole), parts));
        }
    }

    private static IEnumerable<string> NamesIn(IEnumerable<Expr> exprs)
    {
        var pending = new Stack<Expr>(exprs);
        var count = 0;
        while (pending.Count > 0 && count++ < 256)
        {
            switch (pending.Pop())
            {
                case NameExpr name:
                    yield return name.Id;
                    break;
                case CallExpr call:
                    foreach (var arg in call.Args)
                    {
                        pending.Push(arg);
                    }
                    foreach (var keyword in call.Keywords)
                    {
                        pending.Push(keyword.Value);
                    }
                    pending.Push(call.Func);
                    break;
                case AttributeExpr attribute:
                    pending.Push(attribute.Value);
                    break;
                case StarredExpr starred:
                    pending.Push(starred.Value);
                    break;
            }
        }
    }
}
