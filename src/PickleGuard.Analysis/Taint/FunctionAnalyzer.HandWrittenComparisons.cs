using PickleGuard.Analysis.Semantic;
using PickleGuard.Python;

namespace PickleGuard.Analysis.Taint;

/// <summary>
/// A constant-time comparison written by hand, as a return of a verifying helper (FunctionAnalyzer.Verifiers.cs):
/// bottle's <c>_lscmp(a, b)</c> returns <c>not sum(0 if x == y else 1 for x, y in zip(a, b)) and len(a) == len(b)</c>;
/// web2py's <c>compare(a, b)</c>, without <c>hmac.compare_digest</c>, folds <c>len(a) ^ len(b)</c> and
/// <c>ord(a[i % len(a)]) ^ ord(b[i])</c> into <c>result</c> and returns <c>result == 0</c>. Taken as an equality test of
/// the two parameters — as <c>hmac.compare_digest(a, b)</c> — when the returned test reads nothing but the two
/// parameters, its own locals computed from them, comprehension variables over them and a few builtins, and compares
/// both their lengths and their items (an item or character of one with one of the other).
/// </summary>
internal sealed partial class FunctionAnalyzer
{
    /// <summary>The builtins a hand-written comparison may call (unless the module or the function rebinds them).</summary>
    private static readonly HashSet<string> ComparisonBuiltins = new(StringComparer.Ordinal)
    {
        "len", "ord", "zip", "range", "sum", "all", "any", "abs", "bool", "int",
    };

    private const int MaxComparisonLocals = 8;

    /// <summary>Whether <paramref name="returned"/> is a hand-written equality test of this function's two parameters (see the type's summary).</summary>
    private bool ComparesParametersByHand(Expr returned)
    {
        var first = _unit.TakesReceiver ? 1 : 0;
        if (returned is not (CompareExpr or UnaryOpExpr { Op: UnaryOperator.Not } or BoolOpExpr { Op: BoolOperator.And })
            || _unit.Parameters.Length - first != 2 || _unit.VarargIndex >= 0 || _unit.KwargIndex >= 0)
        {
            return false;
        }
        var (left, right) = (_unit.Parameters[first].ArgValue, _unit.Parameters[first + 1].ArgValue);
        var parts = new ComparisonParts(left, right);
        parts.Walk(returned);
        var locals = new HashSet<string>(StringComparer.Ordinal);
        for (var pending = parts.LocalsRead(locals); pending is not null; pending = parts.LocalsRead(locals))
        {
            if (locals.Count >= MaxComparisonLocals || !_unit.Scope.Binds(pending) || _unit.Scope.IsGlobal(pending) || _unit.Scope.IsNonlocal(pending))
            {
                return false;
            }
            locals.Add(pending);
            foreach (var binding in _unit.Scope.BindingsOf(pending))
            {
                // `result = len(a) ^ len(b)`, `result |= ...`; `for i in range(len(b))`, whose index is no item.
                if (binding is not ({ Kind: BindingKind.Assignment, Value: { } } or { Kind: BindingKind.ForTarget, Node: NameExpr, Value: CallExpr { Func: NameExpr { Id: "range" } } }))
                {
                    return false;
                }
                parts.Walk(binding.Value);
            }
        }
        return parts.Closed && parts.Reads(left) && parts.Reads(right) && parts.ComparesBoth(left, right)
            && parts.Builtins.All(name => !_unit.Scope.Binds(name) && !_module.ModuleScope.Binds(name));
    }

    /// <summary>The names, comparisons and comprehension variables of the expressions a hand-written comparison is made of.</summary>
    private sealed class ComparisonParts(string left, string right) : AstWalker
    {
        private readonly HashSet<string> _reads = new(StringComparer.Ordinal);

        /// <summary>Comprehension variables: an item of a parameter (its name), or an index (empty).</summary>
        private readonly Dictionary<string, string> _itemOf = new(StringComparer.Ordinal);

        private readonly List<(Expr Left, Expr Right)> _compared = [];

        public HashSet<string> Builtins { get; } = new(StringComparer.Ordinal);

        /// <summary>False once a part is of a shape not followed (a lambda, a comprehension over something else).</summary>
        public bool Closed { get; private set; } = true;

        public bool Reads(string name) => _reads.Contains(name);

        /// <summary>A name read that is no parameter, builtin or comprehension variable, and not in <paramref name="known"/>; null when none is left.</summary>
        public string? LocalsRead(HashSet<string> known) =>
            _reads.FirstOrDefault(name => name != left && name != right && !_itemOf.ContainsKey(name) && !Builtins.Contains(name) && !known.Contains(name));

        /// <summary>Whether the lengths of the two parameters are compared, and an item of one with an item of the other.</summary>
        public bool ComparesBoth(string a, string b) =>
            _compared.Any(pair => Matches(LengthOf(pair.Left), LengthOf(pair.Right), a, b))
            && _compared.Any(pair => Matches(ItemOf(pair.Left), ItemOf(pair.Right), a, b));

        private static bool Matches(string? x, string? y, string a, string b) => x == a && y == b || x == b && y == a;

        private static string? LengthOf(Expr expr) => expr is CallExpr { Func: NameExpr { Id: "len" }, Args: [NameExpr counted], Keywords.Count: 0 } ? counted.Id : null;

        /// <summary>
        /// The parameter whose item or character <paramref name="expr"/> is: <c>a[i]</c>, <c>ord(a[i])</c>, <c>x</c> of
        /// <c>for x, y in zip(a, b)</c>. Not at a constant index: <c>a[0] == b[0]</c> compares one item, not the items.
        /// </summary>
        private string? ItemOf(Expr expr) => expr switch
        {
            CallExpr { Func: NameExpr { Id: "ord" }, Args: [var character], Keywords.Count: 0 } => ItemOf(character),
            SubscriptExpr { Value: NameExpr { Id: var held }, Slice: not (ConstantExpr or UnaryOpExpr { Operand: ConstantExpr }) } when held == left || held == right => held,
            NameExpr { Id: var variable } when _itemOf.GetValueOrDefault(variable) is { Length: > 0 } held => held,
            _ => null,
        };

        public override void VisitNameExpr(NameExpr node)
        {
            if (ComparisonBuiltins.Contains(node.Id))
            {
                Builtins.Add(node.Id);
            }
            else
            {
                _reads.Add(node.Id);
            }
        }

        public override void VisitCompareExpr(CompareExpr node)
        {
            if (node.Ops is [CompareOperator.Eq or CompareOperator.NotEq])
            {
                _compared.Add((node.Left, node.Comparators[0]));
            }
            base.VisitCompareExpr(node);
        }

        public override void VisitBinOpExpr(BinOpExpr node)
        {
            if (node.Op is BinaryOperator.BitXor or BinaryOperator.Sub)
            {
                _compared.Add((node.Left, node.Right));
            }
            base.VisitBinOpExpr(node);
        }

        public override void VisitComprehension(Comprehension node)
        {
            switch (node.Target, node.Iter)
            {
                case (TupleExpr { Elts: [NameExpr x, NameExpr y] }, CallExpr { Func: NameExpr { Id: "zip" }, Args: [NameExpr a, NameExpr b], Keywords.Count: 0 }):
                    _itemOf[x.Id] = a.Id;
                    _itemOf[y.Id] = b.Id;
                    break;
                case (NameExpr x, NameExpr a):
                    _itemOf[x.Id] = a.Id;
                    break;
                case (NameExpr i, CallExpr { Func: NameExpr { Id: "range" } }):
                    _itemOf[i.Id] = "";
                    break;
                default:
                    Closed = false;
                    break;
            }
            node.Iter.Accept(this);
            WalkList(node.Ifs);
        }

        public override void VisitLambdaExpr(LambdaExpr node) => Closed = false;
    }
}
