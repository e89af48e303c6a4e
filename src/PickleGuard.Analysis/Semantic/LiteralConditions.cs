using PickleGuard.Python;

namespace PickleGuard.Analysis.Semantic;

/// <summary>
/// Conditions whose value the syntax alone gives: a literal (<c>if False:</c>, <c>if 0:</c>), <c>TYPE_CHECKING</c>
/// (false at run time) and <c>not</c> of one. The binder marks the branch such a condition never takes
/// (<see cref="BlockPath.Dead"/>); the taint analysis folds these and module flags bound to literals.
/// </summary>
internal static class LiteralConditions
{
    /// <summary>True or false when <paramref name="test"/> is such a condition, else null.</summary>
    public static bool? Truth(Expr test) => test switch
    {
        ConstantExpr c => c.Value.Type switch
        {
            ConstantType.None or ConstantType.False => false,
            ConstantType.True or ConstantType.Ellipsis => true,
            ConstantType.Int => !c.Value.AsInteger.IsZero,
            ConstantType.Float => c.Value.AsFloat != 0,
            ConstantType.Str => c.Value.AsString!.Length > 0,
            ConstantType.Bytes => c.Value.AsBytes!.Length > 0,
            _ => null,
        },
        NameExpr { Id: "TYPE_CHECKING" } or AttributeExpr { Attr: "TYPE_CHECKING" } => false,
        UnaryOpExpr { Op: UnaryOperator.Not } not => Truth(not.Operand) is { } inner ? !inner : null,
        _ => null,
    };
}
