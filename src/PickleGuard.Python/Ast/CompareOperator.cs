namespace PickleGuard.Python;

/// <summary>CPython's <c>cmpop</c>.</summary>
public enum CompareOperator : byte
{
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}
